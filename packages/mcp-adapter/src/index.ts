export {
  /** @deprecated import `toIdentifier` from `@agent-tool-protocol/protocol` (the same function). */
  toIdentifier,
} from '@agent-tool-protocol/protocol';
export { assignAliases } from './aliases.js';
export { childEnvironment, INHERITED_ENV_VARS } from './child-env.js';
export {
  ConnectorOptionsSchema,
  type HTTPServerConfig,
  HTTPServerConfigSchema,
  type MCPConnectorOptions,
  type MCPServerConfig,
  parseServerConfig,
  type RestartPolicy,
  RestartPolicySchema,
  type StdioServerConfig,
  StdioServerConfigSchema,
} from './config.js';
export type { ConnectionState, MCPServerStatus } from './connection.js';
export {
  createMCPConnector,
  MCPConnector,
  type MCPServerConfigWithoutName,
  type ToolsChangedListener,
} from './connector.js';
export {
  type ATPMcpHttpHandler,
  type ATPMcpHttpOptions,
  type ATPMcpServerOptions,
  ATPMcpServerOptionsSchema,
  type AtpEngineLike,
  createATPMcpHttpHandler,
  createATPMcpServer,
  type HttpRequest,
  type HttpServerConfig,
  HttpServerConfigSchema,
  type McpPeer,
  parseATPMcpServerOptions,
} from './deprecated.js';
export { MCPUnavailableError } from './errors.js';
export type { Logger } from './logger.js';
export { operationTypeOf, toolMetadata } from './metadata.js';
export type { TransportKind } from './open-client.js';
export { type MappedContent, mapContentBlock, mapToolResult, parseTextContent } from './result.js';
export { answerCallback, answerCallbacks } from './serve/callbacks.js';
export type { ATPEngineLike, ExecutionListeners } from './serve/engine-like.js';
export {
  type ATPMCPHTTPHandler,
  type ATPMCPHTTPOptions,
  type ATPMCPRateLimitOptions,
  createATPMCPHTTPHandler,
  type HTTPRequest,
} from './serve/http.js';
export { createATPMCPServer } from './serve/mcp-server.js';
export {
  type ATPMCPServerOptions,
  ATPMCPServerOptionsSchema,
  parseATPMCPServerOptions,
} from './serve/options.js';
export type { CallbackContext, MCPPeer } from './serve/peer.js';
export { API_DEFINITIONS_URI, RUNTIME_DEFINITIONS_URI } from './serve/resources.js';
export type { SessionBinding } from './serve/session.js';
export { type ATPStdioOptions, type ATPStdioServer, serveATPOverStdio } from './serve/stdio.js';
