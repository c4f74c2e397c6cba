export { inspectorAssetsDir } from './assets.js';
export { enableInspector, INSPECTOR_PATH, type MountableServer } from './enable.js';
export { type InspectorHandlerOptions, type InspectorRequestHandler, inspectorHandler } from './handler.js';
