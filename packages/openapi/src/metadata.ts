import {
  ConfigError,
  type OperationType,
  type Sensitivity,
  type ToolMetadata,
} from '@agent-tool-protocol/protocol';
import type { OperationModel } from './model.js';

const OPERATION_TYPES = new Set(['read', 'write', 'destructive']);
const SENSITIVITIES = new Set(['public', 'internal', 'sensitive']);

/** GET/HEAD/OPTIONS read; DELETE is destructive; everything else writes. */
export function operationTypeOf(method: string): OperationType {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'read';
  if (method === 'DELETE') return 'destructive';
  return 'write';
}

/** ToolMetadata of an operation; `x-atp-operation-type`, `x-atp-sensitivity`, `x-atp-requires-approval` win. */
export function metadataOf(operation: OperationModel): ToolMetadata {
  const extensions = operation.extensions;
  const metadata: ToolMetadata = {
    operationType: operationTypeOf(operation.method),
    tags: operation.tags,
    method: operation.method,
    path: operation.path,
  };
  if (operation.operationId !== undefined) metadata.operationId = operation.operationId;
  if (operation.deprecated) metadata.deprecated = true;
  const typeOverride = extensions['x-atp-operation-type'];
  if (typeOverride !== undefined) {
    if (typeof typeOverride !== 'string' || !OPERATION_TYPES.has(typeOverride)) {
      throw invalidExtension(operation, 'x-atp-operation-type', typeOverride, 'read, write or destructive');
    }
    metadata.operationType = typeOverride as OperationType;
  }
  const sensitivity = extensions['x-atp-sensitivity'];
  if (sensitivity !== undefined) {
    if (typeof sensitivity !== 'string' || !SENSITIVITIES.has(sensitivity)) {
      throw invalidExtension(operation, 'x-atp-sensitivity', sensitivity, 'public, internal or sensitive');
    }
    metadata.sensitivity = sensitivity as Sensitivity;
  }
  const approval = extensions['x-atp-requires-approval'];
  if (approval !== undefined) {
    if (typeof approval !== 'boolean')
      throw invalidExtension(operation, 'x-atp-requires-approval', approval, 'a boolean');
    metadata.requiresApproval = approval;
  }
  const scopes = [...new Set(operation.security.flatMap((requirement) => Object.values(requirement).flat()))];
  if (scopes.length > 0) metadata.requiredScopes = scopes.filter((s): s is string => typeof s === 'string');
  return metadata;
}

function invalidExtension(
  operation: OperationModel,
  key: string,
  value: unknown,
  expected: string,
): ConfigError {
  return new ConfigError(`${key} of ${operation.where} must be ${expected}, got ${JSON.stringify(value)}`, [
    {
      path: `paths.${operation.path}.${operation.method.toLowerCase()}.${key}`,
      message: `must be ${expected}`,
    },
  ]);
}
