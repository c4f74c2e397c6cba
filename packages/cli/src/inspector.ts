import type { AgentToolProtocolServer } from '@agent-tool-protocol/server';
import type { ATPConfig } from './config-schema.js';

/** Where `atp serve --inspector` serves the page (the server's own default). */
export const INSPECTOR_PATH = '/inspector';

interface InspectorSettings {
  enabled: boolean;
  allowInProduction: boolean;
}

/** `inspector: true` (or `--inspector`), or the server section's `inspector: {enabled, allowInProduction}`. */
export function inspectorSettingsOf(config: ATPConfig): InspectorSettings {
  const fromServer = (config.server as { inspector?: { enabled?: boolean; allowInProduction?: boolean } })
    .inspector;
  return {
    enabled: config.inspector === true || fromServer?.enabled === true,
    allowInProduction: fromServer?.allowInProduction === true,
  };
}

/**
 * Mounts the inspector page on the gateway's server. The CLI depends on the inspector package itself
 * and mounts its handler, so the page works wherever the CLI is installed (the server's own
 * `inspector.enabled` looks the package up from the server's and the working directory's
 * node_modules, which an `npx`/global install does not have). Like the server, it stays off in
 * production mode unless `server.inspector.allowInProduction` is set; then a warning says so.
 * Resolves with the path it is served at, or undefined.
 */
export async function mountInspector(
  server: AgentToolProtocolServer,
  config: ATPConfig,
  warnings: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<string | undefined> {
  const settings = inspectorSettingsOf(config);
  if (!settings.enabled) return undefined;
  const production =
    (config.server.mode ?? (env.NODE_ENV === 'production' ? 'production' : undefined)) === 'production';
  if (production && !settings.allowInProduction) {
    warnings.push(
      'inspector: not served in production mode; set server.inspector.allowInProduction: true to serve it anyway',
    );
    return undefined;
  }
  const { inspectorHandler } = await import('@agent-tool-protocol/inspector');
  server.mount(INSPECTOR_PATH, inspectorHandler());
  return INSPECTOR_PATH;
}
