export { ProvenanceMode } from '@agent-tool-protocol/protocol';
export {
  parseServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  ServerConfigSchema,
} from './config.js';
export { AtpEngine, createEngine, type StreamListeners } from './engine.js';
export type { Middleware, MiddlewareContext } from './http/middleware.js';
export { REDACTED_PATHS } from './logger.js';
export { AgentToolProtocolServer, createServer } from './server.js';
