import { createHash } from 'node:crypto';
import {
  canonicalJSON,
  type PlannedEffect,
  type ToolCallDecision,
  type ToolMetadata,
} from '@agent-tool-protocol/protocol';

/** How a plan treats functions without `metadata.operationType` (`plans.unknownOperations`). */
export interface UnknownOperationsPolicy {
  /** `write`: treated as writes (fail closed); `read`: as reads. */
  unknownOperations: 'write' | 'read';
}

/** The operation type a plan records for `metadata` (unknown ones by `plans.unknownOperations`). */
export function operationOf(
  metadata: ToolMetadata | undefined,
  config: UnknownOperationsPolicy,
): PlannedEffect['operationType'] {
  return metadata?.operationType ?? config.unknownOperations;
}

/** Writes, destructive calls and anything marked `requiresApproval` are side effects a plan holds. */
export function isSideEffect(metadata: ToolMetadata | undefined, config: UnknownOperationsPolicy): boolean {
  return metadata?.requiresApproval === true || operationOf(metadata, config) !== 'read';
}

const METADATA_POLICIES = new Set(['destructive-operation', 'requires-approval']);

/** Why a planned call needs approval, in words a person approving the plan understands. */
export function approvalReason(
  metadata: ToolMetadata | undefined,
  config: UnknownOperationsPolicy,
  decision: ToolCallDecision,
): string {
  const reasons: string[] = [];
  // The security layer's metadata approvals say what the operation type below says already.
  if (decision.action === 'approve' && !METADATA_POLICIES.has(decision.policy ?? ''))
    reasons.push(decision.message);
  const operation = operationOf(metadata, config);
  if (operation === 'destructive') reasons.push('destructive operation');
  else if (operation === 'write') {
    reasons.push(metadata?.operationType ? 'write operation' : 'operation type unknown (treated as a write)');
  }
  if (metadata?.requiresApproval === true) reasons.push('the function requires approval');
  return reasons.join('; ');
}

/** The identity of an effect: its path and the canonical JSON of its input. */
export function effectKey(path: string, input: unknown): string {
  return createHash('sha256').update(path).update('\u0000').update(canonicalJSON(input)).digest('base64url');
}
