import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { usageError } from '../errors.js';
import type { GatewayFlags } from '../flags.js';
import { createStderrLogger, type LogLevel, logFormatOf } from '../logger.js';

/** Flags shared by every command that builds a gateway. */
export const GATEWAY_OPTIONS = {
  config: { type: 'string', short: 'c' },
  openapi: { type: 'string', multiple: true },
  graphql: { type: 'string', multiple: true },
  mcp: { type: 'string', multiple: true },
  redis: { type: 'string' },
  rules: { type: 'string' },
  audit: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** node:util parseArgs with its errors turned into usage errors that name the command. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw usageError(`atp ${command}: ${(error as Error).message}. Run \`atp ${command} --help\`.`);
  }
}

export function gatewayFlagsOf(values: {
  port?: string | boolean;
  host?: string | boolean;
  openapi?: Array<string | boolean>;
  graphql?: Array<string | boolean>;
  mcp?: Array<string | boolean>;
  redis?: string | boolean;
  rules?: string | boolean;
  audit?: string | boolean;
  'mcp-anonymous'?: boolean;
}): GatewayFlags {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const list = (value: unknown) =>
    Array.isArray(value) ? value.filter((item) => typeof item === 'string') : undefined;
  const flags: GatewayFlags = {};
  const assign = <K extends keyof GatewayFlags>(key: K, value: GatewayFlags[K] | undefined) => {
    if (value !== undefined) flags[key] = value;
  };
  assign('port', text(values.port));
  assign('host', text(values.host));
  assign('openapi', list(values.openapi));
  assign('graphql', list(values.graphql));
  assign('mcp', list(values.mcp));
  assign('redis', text(values.redis));
  assign('rules', text(values.rules));
  assign('audit', text(values.audit));
  if (values['mcp-anonymous'] === true) flags.mcpAnonymous = true;
  return flags;
}

export function logLevelOf(
  flag: unknown,
  configured: LogLevel | undefined,
  env: Record<string, string | undefined>,
): LogLevel {
  const level = (typeof flag === 'string' ? flag : undefined) ?? configured ?? env.ATP_LOG_LEVEL ?? 'warn';
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
  }
  return level as LogLevel;
}

/**
 * The stderr logger of a command: level from --log-level, the config or ATP_LOG_LEVEL; pretty on a
 * terminal, JSON otherwise (ATP_LOG_FORMAT=pretty|json overrides).
 */
export function commandLogger(
  flag: unknown,
  configured: LogLevel | undefined,
  context: { env: Record<string, string | undefined>; stderr: { isTTY?: boolean } },
  options: { agentLogs?: boolean } = {},
): Logger {
  return createStderrLogger(
    logLevelOf(flag, configured, context.env),
    logFormatOf(context.env, Boolean(context.stderr.isTTY)),
    options,
  );
}
