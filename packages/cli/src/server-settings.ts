import type { FieldIssue } from '@agent-tool-protocol/protocol';
import { ServerConfigSchema } from '@agent-tool-protocol/server';
import type { z } from 'zod';
import { formatFieldPath } from './field-path.js';

/** Keys of `server:` that belong to the CLI itself (where to listen, logging, …), not to createServer. */
export const CLI_SERVER_KEYS = [
  'port',
  'host',
  'mode',
  'jwtSecret',
  'logLevel',
  'version',
  'mcpPath',
  'mcpAnonymous',
] as const;

/** createServer sections the CLI fills from its own config sections (or that are not data). */
const BUILT_BY_CLI: Record<string, string> = {
  audit: 'use the top-level `audit` section',
  auth: 'use server.jwtSecret, or the top-level `auth` section for who may connect',
  oauth: 'use the top-level `oauth` section',
  logger: 'use server.logLevel',
  apiGroups: 'use the `openapi`, `graphql` and `mcp` sections',
};

/** Fields inside sections that hold functions, or that other config sections set. */
const NOT_SETTABLE: Record<string, string> = {
  'execution.hooks': 'hooks are functions: use createServer',
  'execution.onApproval': 'onApproval is a function: use createServer',
  'discovery.embeddings': 'embeddings are objects with functions: use createServer',
  'execution.provenanceMode': 'use provenance.mode',
  'execution.securityPolicies': 'use provenance.policies',
  'execution.rules': 'use the top-level `rules`',
};

type AnySchema = z.ZodType & { shape?: Record<string, z.ZodType>; _zod: { def: { innerType?: AnySchema } } };

function objectShape(schema: AnySchema | undefined): Record<string, z.ZodType> | undefined {
  let current = schema;
  while (current && !current.shape && current._zod.def.innerType) current = current._zod.def.innerType;
  return current?.shape;
}

/** The createServer sections (and their fields) a config file may set, read from the server's own schema. */
export function settableSections(): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  for (const [name, schema] of Object.entries(ServerConfigSchema.shape)) {
    if (name in BUILT_BY_CLI) continue;
    const shape = objectShape(schema as AnySchema);
    if (!shape) continue;
    sections.set(name, new Set(Object.keys(shape).filter((field) => !(`${name}.${field}` in NOT_SETTABLE))));
  }
  return sections;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the createServer part of `server:` against the installed server's schema: unknown sections and
 * fields are errors (the server itself would drop them silently), and numbers or booleans that came from
 * `${VAR}` as strings are converted where the server expects them. Returns the settings to pass on.
 */
export function validateServerSettings(server: Record<string, unknown>): {
  settings: Record<string, unknown>;
  issues: FieldIssue[];
} {
  const sections = settableSections();
  const issues: FieldIssue[] = [];
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(server)) {
    if ((CLI_SERVER_KEYS as readonly string[]).includes(name)) continue;
    const fields = sections.get(name);
    if (!fields) {
      const hint = BUILT_BY_CLI[name];
      issues.push({
        path: `server.${name}`,
        message: hint ?? `unknown setting; known: ${[...CLI_SERVER_KEYS, ...sections.keys()].join(', ')}`,
      });
      continue;
    }
    if (!isRecord(value)) {
      issues.push({ path: `server.${name}`, message: 'expected an object' });
      continue;
    }
    for (const field of Object.keys(value)) {
      if (fields.has(field)) continue;
      issues.push({
        path: `server.${name}.${field}`,
        message: NOT_SETTABLE[`${name}.${field}`] ?? `unknown setting; known: ${[...fields].join(', ')}`,
      });
    }
    settings[name] = structuredClone(value);
  }
  if (issues.length > 0) return { settings, issues };
  coerceScalars(settings);
  const parsed = ServerConfigSchema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ path: formatFieldPath(['server', ...issue.path]), message: issue.message });
    }
  }
  return { settings, issues };
}

/** Converts `"30000"` / `"true"` where the server's schema answers "expected number/boolean, received string". */
function coerceScalars(settings: Record<string, unknown>): void {
  const parsed = ServerConfigSchema.safeParse(settings);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    if (issue.code !== 'invalid_type' || (issue.expected !== 'number' && issue.expected !== 'boolean'))
      continue;
    const parent = issue.path
      .slice(0, -1)
      .reduce<unknown>((node, key) => (isRecord(node) ? node[key as string] : undefined), settings);
    const key = issue.path.at(-1) as string | undefined;
    if (!isRecord(parent) || key === undefined || typeof parent[key] !== 'string') continue;
    const text = (parent[key] as string).trim();
    if (issue.expected === 'number' && /^-?\d+(\.\d+)?$/.test(text)) parent[key] = Number(text);
    if (issue.expected === 'boolean' && (text === 'true' || text === 'false')) parent[key] = text === 'true';
  }
}
