import { isAbsolute, resolve } from 'node:path';
import type { FieldIssue } from '@agent-tool-protocol/protocol';
import type { z } from 'zod';
import { splitCommandLine, splitNameValue } from './command-line.js';
import type { ATPConfig, GraphQLEntry, MCPEntry, OpenAPIEntry } from './config-schema.js';
import { GraphQLEntrySchema, MCPEntrySchema, OpenAPIEntrySchema } from './config-schema.js';
import { configError, usageError } from './errors.js';
import { describeFieldIssues } from './field-path.js';
import { issuesOf } from './load-config.js';

/** What `serve`, `mcp` and `exec` accept on top of a config file. */
export interface GatewayFlags {
  port?: string;
  host?: string;
  openapi?: string[];
  graphql?: string[];
  mcp?: string[];
  redis?: string;
  rules?: string;
  audit?: string;
  /** `--mcp-anonymous`: serve /mcp without credentials. */
  mcpAnonymous?: boolean;
}

const URL_LIKE = /^(https?|file):\/\//i;

/**
 * Applies command-line flags over a validated config: `--openapi`/`--graphql`/`--mcp` entries are
 * appended, except that an entry named like one in the config replaces it (the flag wins, and
 * `onNotice` says so); single values (`--port`, `--redis`, …) are replaced.
 */
export function applyFlags(
  config: ATPConfig,
  flags: GatewayFlags,
  cwd = process.cwd(),
  onNotice: (text: string) => void = () => {},
): ATPConfig {
  const fromCwd = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const server = { ...config.server };
  if (flags.port !== undefined) server.port = parsePort(flags.port);
  if (flags.host !== undefined) server.host = flags.host;
  if (flags.mcpAnonymous) server.mcpAnonymous = true;
  const openapi = (flags.openapi ?? []).map((text) => openapiFromFlag(text, fromCwd));
  const graphql = (flags.graphql ?? []).map((text) => graphqlFromFlag(text, fromCwd));
  const mcp = (flags.mcp ?? []).map((text) => mcpFromFlag(text));
  const flagOf = new Map<string, string>([
    ...mcp.map((entry) => [entry.name, '--mcp'] as const),
    ...graphql.map((entry) => [entry.name, '--graphql'] as const),
    ...openapi.map((entry) => [entry.name, '--openapi'] as const),
  ]);
  const unlessOverridden = <T extends { name: string }>(kind: string, entries: T[]): T[] =>
    entries.filter((entry, index) => {
      const flag = flagOf.get(entry.name);
      if (flag === undefined) return true;
      onNotice(`${flag} ${entry.name}=… replaces ${kind}[${index}] "${entry.name}" of the config file`);
      return false;
    });
  const next: ATPConfig = {
    ...config,
    server,
    openapi: [...unlessOverridden('openapi', config.openapi), ...openapi],
    graphql: [...unlessOverridden('graphql', config.graphql), ...graphql],
    mcp: [...unlessOverridden('mcp', config.mcp), ...mcp],
  };
  if (flags.redis !== undefined) next.redis = { ...config.redis, url: flags.redis };
  if (flags.rules !== undefined) next.rules = fromCwd(flags.rules);
  if (flags.audit !== undefined) next.audit = { ...config.audit, dir: fromCwd(flags.audit) };
  checkUniqueGroupNames(next);
  return next;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw usageError(`--port expects a number from 0 to 65535 (got "${text}")`);
  return port;
}

function openapiFromFlag(text: string, fromCwd: (path: string) => string): OpenAPIEntry {
  const [name, source] = splitNameValue('--openapi', text, 'petstore=./petstore.yaml');
  const raw = URL_LIKE.test(source) ? { name, url: source } : { name, path: fromCwd(source) };
  return validateFlag('--openapi', text, OpenAPIEntrySchema.safeParse(raw));
}

/** `name=https://…/graphql` (introspected), `name=./schema.graphql`, or `name=./schema.graphql,https://…/graphql`. */
function graphqlFromFlag(text: string, fromCwd: (path: string) => string): GraphQLEntry {
  const [name, source] = splitNameValue('--graphql', text, 'shop=https://shop.example.com/graphql');
  let raw: Record<string, unknown>;
  if (/^https?:\/\//i.test(source)) raw = { name, url: source };
  else {
    const comma = source.lastIndexOf(',');
    const endpoint = comma === -1 ? undefined : source.slice(comma + 1);
    raw =
      endpoint !== undefined && /^https?:\/\//i.test(endpoint)
        ? { name, path: fromCwd(source.slice(0, comma)), url: endpoint }
        : { name, path: fromCwd(source) };
  }
  return validateFlag('--graphql', text, GraphQLEntrySchema.safeParse(raw));
}

function mcpFromFlag(text: string): MCPEntry {
  const [name, target] = splitNameValue(
    '--mcp',
    text,
    "'files=npx -y @modelcontextprotocol/server-filesystem .'",
  );
  let raw: Record<string, unknown>;
  if (/^https?:\/\//i.test(target)) raw = { name, url: target };
  else {
    const [command, ...args] = splitCommandLine(target);
    raw = { name, command, args };
  }
  return validateFlag('--mcp', text, MCPEntrySchema.safeParse(raw));
}

function validateFlag<T>(
  flag: string,
  text: string,
  parsed: { success: true; data: T } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } },
): T {
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error);
  throw usageError(`Invalid ${flag} "${text}": ${describeFieldIssues(issues)}`);
}

/** Every group name (OpenAPI, GraphQL and MCP together) becomes `api.<name>`, so each must be unique. */
export function checkUniqueGroupNames(config: ATPConfig): void {
  const seen = new Map<string, string>();
  const issues: FieldIssue[] = [];
  const check = (name: string, where: string) => {
    const first = seen.get(name);
    if (first) issues.push({ path: `${where}.name`, message: `"${name}" is already used by ${first}` });
    else seen.set(name, where);
  };
  for (const [index, entry] of config.openapi.entries()) check(entry.name, `openapi[${index}]`);
  for (const [index, entry] of config.graphql.entries()) check(entry.name, `graphql[${index}]`);
  for (const [index, entry] of config.mcp.entries()) check(entry.name, `mcp[${index}]`);
  if (issues.length > 0)
    throw configError(
      `Invalid config: group names must be unique:\n  ${describeFieldIssues(issues)}`,
      issues,
    );
}
