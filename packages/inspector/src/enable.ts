import { type InspectorHandlerOptions, type InspectorRequestHandler, inspectorHandler } from './handler.js';

/** The path the inspector is served at. */
export const INSPECTOR_PATH = '/inspector';

/** Anything with the ATP server's `mount(path, handler)`. */
export interface MountableServer {
  mount(path: string, handler: InspectorRequestHandler): unknown;
}

/** Serves the inspector at `/inspector` on an ATP server: `enableInspector(createServer(…))`. */
export function enableInspector<T extends MountableServer>(
  server: T,
  options: InspectorHandlerOptions = {},
): T {
  server.mount(INSPECTOR_PATH, inspectorHandler(options));
  return server;
}
