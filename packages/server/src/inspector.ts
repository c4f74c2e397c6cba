import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@agent-tool-protocol/protocol';
import type { RequestHandler } from 'express';

/** The optional package that serves the inspector page; the server never depends on it statically. */
export const INSPECTOR_PACKAGE = '@agent-tool-protocol/inspector';

/** What the server needs from `@agent-tool-protocol/inspector`. */
export interface InspectorModule {
  inspectorHandler(options?: Record<string, unknown>): RequestHandler;
}

/**
 * Loads the inspector package: from the server's own resolution first, then from the application's
 * directory (`process.cwd()`), where package managers that isolate dependencies (pnpm) install it.
 */
export async function importInspector(
  load: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<InspectorModule> {
  const candidates: Array<() => string> = [
    () => INSPECTOR_PACKAGE,
    () => pathToFileURL(createRequire(join(process.cwd(), 'package.json')).resolve(INSPECTOR_PACKAGE)).href,
  ];
  for (const candidate of candidates) {
    try {
      const loaded = (await load(candidate())) as Partial<InspectorModule> & { default?: InspectorModule };
      const module = typeof loaded.inspectorHandler === 'function' ? loaded : loaded.default;
      if (typeof module?.inspectorHandler === 'function') return module as InspectorModule;
    } catch {
      // try the next place
    }
  }
  throw new ConfigError(
    `inspector.enabled is true but ${INSPECTOR_PACKAGE} is not installed: run \`npm install ${INSPECTOR_PACKAGE}\` (or set inspector.enabled to false).`,
    [{ path: 'inspector.enabled', message: `needs the ${INSPECTOR_PACKAGE} package` }],
  );
}
