export { assignAliases, toIdentifier } from './aliases.js';
export {
  ConnectorOptionsSchema,
  type HttpServerConfig,
  HttpServerConfigSchema,
  type MCPConnectorOptions,
  type MCPServerConfig,
  parseServerConfig,
  type RestartPolicy,
  RestartPolicySchema,
  type StdioServerConfig,
  StdioServerConfigSchema,
} from './config.js';
export type { ConnectionState, MCPServerStatus } from './connection.js';
export { MCPConnector, type ToolsChangedListener } from './connector.js';
export { MCPUnavailableError } from './errors.js';
export type { Logger } from './logger.js';
export { operationTypeOf, toolMetadata } from './metadata.js';
export type { TransportKind } from './open-client.js';
export { type MappedContent, mapContentBlock, mapToolResult, parseTextContent } from './result.js';
