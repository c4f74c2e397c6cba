import type { Catalog } from '@agent-tool-protocol/catalog';
import type { ExecutionHooks, ToolCallDecision } from '@agent-tool-protocol/protocol';
import {
  createSecurityHooks,
  type SecurityHooks,
  type SecurityOptions,
} from '@agent-tool-protocol/provenance';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';

/**
 * The security layer (docs/security.md), built from `execution.provenanceMode`, `securityPolicies`,
 * `rules` and `security`. It is off (undefined) when none of them is set, so a plain server keeps only
 * the hooks it was given.
 */
export function buildSecurityHooks(
  config: ServerConfig,
  catalog: Catalog,
  logger: Logger,
): SecurityHooks | undefined {
  const execution = config.execution;
  const enabled =
    execution.provenanceMode !== 'none' ||
    execution.securityPolicies.length > 0 ||
    execution.rules !== undefined ||
    execution.security !== undefined;
  if (!enabled) return undefined;
  return createSecurityHooks({
    ...(execution.security as SecurityOptions | undefined),
    provenanceMode: execution.provenanceMode,
    policies: execution.securityPolicies,
    ...(execution.rules !== undefined ? { rules: execution.rules as SecurityOptions['rules'] } : {}),
    metadataOf: (tool) => catalog.resolve(tool)?.metadata,
    logger: logger.child({ component: 'security' }),
  });
}

/**
 * Security first, then the user's hooks: a block or approval from the security layer stands; the
 * user's transformCode runs before the provenance instrumentation, so nothing runs untracked.
 */
export function composeHooks(
  security: SecurityHooks | undefined,
  user: ExecutionHooks | undefined,
): ExecutionHooks | undefined {
  if (security === undefined) return user;
  if (user === undefined) return security;
  return {
    async beforeToolCall(context): Promise<ToolCallDecision> {
      const decision = await security.beforeToolCall(context);
      if (decision.action !== 'allow' || user.beforeToolCall === undefined) return decision;
      return user.beforeToolCall(context);
    },
    async afterToolCall(context, result) {
      await security.afterToolCall(context, result);
      await user.afterToolCall?.(context, result);
    },
    async transformCode(code, context) {
      const transformed = user.transformCode === undefined ? code : await user.transformCode(code, context);
      return security.transformCode(transformed, context);
    },
  };
}

/** The rules' guidance as a comment block for the top of the definitions. */
export function guidanceComment(guidance: string | undefined): string {
  if (guidance === undefined || guidance.trim() === '') return '';
  const lines = guidance
    .trimEnd()
    .split('\n')
    .map((line) => ` * ${line.replace(/\*\//g, '* /')}`.trimEnd());
  return `/**\n * Rules of this server:\n${lines.join('\n')}\n */\n`;
}
