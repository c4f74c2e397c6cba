import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import type { FieldIssue } from '@agent-tool-protocol/protocol';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type ATPConfig, ATPConfigSchema } from './config-schema.js';
import { type Environment, interpolateEnv } from './env-interpolation.js';
import { configError, errorMessage } from './errors.js';
import { describeFieldIssues, formatFieldPath } from './field-path.js';
import { validateServerSettings } from './server-settings.js';

/** Names `atp` looks for in the working directory when no `--config` is given. */
export const DEFAULT_CONFIG_FILES = ['atp.config.yaml', 'atp.config.yml', 'atp.config.json'];

export interface LoadedConfig {
  config: ATPConfig;
  /** The file it came from (absent for a config built from flags only). */
  file?: string;
  /** Relative paths in the config (specs, rules, audit dir) resolve against this directory. */
  baseDir: string;
}

export interface LoadConfigOptions {
  env?: Environment;
  cwd?: string;
}

/** The config file in `cwd` that `atp` uses by default, if any. */
export function findDefaultConfigFile(cwd = process.cwd()): string | undefined {
  return DEFAULT_CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/**
 * Reads a YAML or JSON config file, substitutes `${VAR}` / `${VAR:-default}` from the environment,
 * validates it, and resolves relative paths against the file's directory.
 */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : errorMessage(error);
    throw configError(`Cannot read config file ${path}: ${reason}. Create one with \`atp init\`.`, [], error);
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw configError(`Cannot parse config file ${path}: ${errorMessage(error)}`, [], error);
  }
  const baseDir = dirname(path);
  const config = parseConfig(raw ?? {}, { env: options.env, source: path, baseDir });
  return { config, file: path, baseDir };
}

/** Validates a config object (already parsed from YAML/JSON); `source` names it in errors. */
export function parseConfig(
  raw: unknown,
  options: { env?: Environment; source?: string; baseDir?: string } = {},
): ATPConfig {
  const source = options.source ?? 'config';
  const { value, issues: envIssues } = interpolateEnv(raw, options.env ?? process.env);
  if (envIssues.length > 0) throw invalid(source, envIssues);
  const parsed = ATPConfigSchema.safeParse(value);
  const rawServer = (value as { server?: unknown } | null)?.server;
  const server =
    typeof rawServer === 'object' && rawServer !== null && !Array.isArray(rawServer)
      ? validateServerSettings(rawServer as Record<string, unknown>)
      : { settings: {}, issues: [] };
  const issues = [...(parsed.success ? [] : issuesOf(parsed.error)), ...server.issues];
  if (!parsed.success || issues.length > 0) throw invalid(source, issues);
  const config = { ...parsed.data, server: { ...parsed.data.server, ...server.settings } };
  return resolvePaths(config, options.baseDir ?? process.cwd());
}

function invalid(source: string, issues: FieldIssue[]) {
  return configError(`Invalid ${source}:\n  ${describeFieldIssues(issues)}`, issues);
}

export function issuesOf(error: { issues: readonly z.core.$ZodIssue[] }): FieldIssue[] {
  return error.issues.flatMap((issue) => flattenIssue(issue, []));
}

/**
 * A union (`auth: entry | entry[]`) fails as "Invalid input"; report instead the issues of the branch
 * that matches the value's shape, so the message names the real field (`openapi[1].auth.token`).
 */
function flattenIssue(issue: z.core.$ZodIssue, prefix: PropertyKey[]): FieldIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter(
      (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
    );
    const best = [...branches].sort((a, b) => a.length - b.length)[0];
    if (best && best.length > 0) return best.flatMap((inner) => flattenIssue(inner, path));
  }
  return [{ path: formatFieldPath(path), message: issue.message }];
}

function resolvePaths(config: ATPConfig, baseDir: string): ATPConfig {
  const fromBase = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  return {
    ...config,
    openapi: config.openapi.map((entry) => (entry.path ? { ...entry, path: fromBase(entry.path) } : entry)),
    graphql: config.graphql.map((entry) => (entry.path ? { ...entry, path: fromBase(entry.path) } : entry)),
    mcp: config.mcp.map((entry) => ('command' in entry ? resolveStdioPaths(entry, fromBase) : entry)),
    ...(config.rules ? { rules: fromBase(config.rules) } : {}),
    ...(config.audit ? { audit: { ...config.audit, dir: fromBase(config.audit.dir) } } : {}),
  };
}

const RELATIVE_PATH = /^\.\.?([/\\]|$)/;

/**
 * A stdio MCP server from a config file runs in the file's directory (or its `cwd`, relative to the
 * file), and a command or argument written as a relative path (`./server.js`, `../bin/x`) names a file
 * next to the config, wherever `atp` was started from.
 */
function resolveStdioPaths<T extends { command: string; args: string[]; cwd?: string | undefined }>(
  entry: T,
  fromBase: (path: string) => string,
): T {
  const relative = (value: string) => (RELATIVE_PATH.test(value) ? fromBase(value) : value);
  return {
    ...entry,
    command: relative(entry.command),
    args: entry.args.map(relative),
    cwd: fromBase(entry.cwd ?? '.'),
  };
}
