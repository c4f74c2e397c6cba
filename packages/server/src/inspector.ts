import { ConfigError } from '@agent-tool-protocol/protocol';
import type { RequestHandler } from 'express';

/** The optional peer dependency that serves the inspector page. */
export const INSPECTOR_PACKAGE = '@agent-tool-protocol/inspector';

/** What the server needs from `@agent-tool-protocol/inspector`. */
export interface InspectorModule {
  inspectorHandler(options?: Record<string, unknown>): RequestHandler;
}

/**
 * Loads the inspector package, an optional peer dependency of the server (install it next to the
 * server). Without it: a ConfigError saying how to install it. `enableInspector(server)` from the
 * package itself mounts it without this lookup.
 */
export async function importInspector(
  load: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<InspectorModule> {
  let loaded: (Partial<InspectorModule> & { default?: Partial<InspectorModule> }) | undefined;
  try {
    loaded = (await load(INSPECTOR_PACKAGE)) as typeof loaded;
  } catch {
    loaded = undefined;
  }
  const module = typeof loaded?.inspectorHandler === 'function' ? loaded : loaded?.default;
  if (typeof module?.inspectorHandler === 'function') return module as InspectorModule;
  throw new ConfigError(
    `inspector.enabled is true but ${INSPECTOR_PACKAGE} is not installed: run \`npm install ${INSPECTOR_PACKAGE}\` (or set inspector.enabled to false).`,
    [{ path: 'inspector.enabled', message: `needs the ${INSPECTOR_PACKAGE} package` }],
  );
}
