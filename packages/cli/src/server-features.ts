import { ServerConfigSchema } from '@agent-tool-protocol/server';

/**
 * Which optional parts of the config the installed server understands. Probed from its config schema,
 * so a newer CLI with an older server warns instead of silently dropping settings.
 */
export interface ServerFeatures {
  /** `execution.rules` and the security layer that enforces provenance, policies and rules. */
  securityLayer: boolean;
  /** `oauth` (per-user OAuth routes and credentials). */
  oauth: boolean;
}

export function detectServerFeatures(): ServerFeatures {
  const probe = ServerConfigSchema.safeParse({ execution: { rules: {} } });
  const execution = probe.success ? (probe.data.execution as Record<string, unknown>) : {};
  return {
    securityLayer: execution.rules !== undefined,
    oauth: 'oauth' in ServerConfigSchema.shape,
  };
}
