import type { Catalog } from '@agent-tool-protocol/catalog';
import {
  ConfigError,
  childLogger,
  type ExecutionHooks,
  type Logger,
  type ToolCallDecision,
} from '@agent-tool-protocol/protocol';
import {
  createSecurityHooks,
  type SecurityHooks,
  type SecurityOptions,
} from '@agent-tool-protocol/provenance';
import type { EngineConfig } from '../config/engine-config.js';

/**
 * The security layer (docs/security.md), built from `execution.provenanceMode`, `securityPolicies`,
 * `rules` and `security`. It is on by default — destructive calls ask for approval and fail closed, as
 * the design requires — and off only with `security: false`.
 */
export function buildSecurityHooks(
  execution: EngineConfig['execution'],
  catalog: Catalog,
  logger: Logger,
): SecurityHooks | undefined {
  if (execution.security === false) {
    if (
      execution.provenanceMode !== 'none' ||
      execution.securityPolicies.length > 0 ||
      execution.rules !== undefined
    ) {
      throw new ConfigError(
        'execution.security is false, but provenanceMode, securityPolicies or rules need it.',
        [
          {
            path: 'execution.security',
            message: 'must not be false while other security settings are given',
          },
        ],
      );
    }
    return undefined;
  }
  return createSecurityHooks({
    ...(execution.security as SecurityOptions | undefined),
    provenanceMode: execution.provenanceMode,
    policies: execution.securityPolicies,
    ...(execution.rules !== undefined ? { rules: execution.rules as SecurityOptions['rules'] } : {}),
    metadataOf: (tool) => catalog.resolve(tool)?.metadata,
    logger: childLogger(logger, { component: 'security' }),
  });
}

/**
 * Security first, then the user's hooks. The stricter decision wins (block, then approve, then allow);
 * when both ask for approval, the user's prompt is shown. The user's transformCode runs before the
 * provenance instrumentation, so nothing runs untracked.
 */
export function composeHooks(
  security: SecurityHooks | undefined,
  user: ExecutionHooks | undefined,
): ExecutionHooks | undefined {
  if (security === undefined) return user;
  if (user === undefined) return security;
  return {
    async beforeToolCall(context): Promise<ToolCallDecision> {
      const first = await security.beforeToolCall(context);
      if (first.action === 'block' || user.beforeToolCall === undefined) return first;
      const second = await user.beforeToolCall(context);
      // One approval covers both: the host's own prompt is the more specific one.
      return second.action === 'allow' ? first : second;
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
