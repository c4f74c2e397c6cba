import { type HTTPServerConfig, HTTPServerConfigSchema } from './config.js';
import type { ATPEngineLike } from './serve/engine-like.js';
import {
  type ATPMCPHTTPHandler,
  type ATPMCPHTTPOptions,
  createATPMCPHTTPHandler,
  type HTTPRequest,
} from './serve/http.js';
import { createATPMCPServer } from './serve/mcp-server.js';
import {
  type ATPMCPServerOptions,
  ATPMCPServerOptionsSchema,
  parseATPMCPServerOptions,
} from './serve/options.js';
import type { MCPPeer } from './serve/peer.js';

// Names from before acronyms were upper case everywhere (ATP, MCP, HTTP…), kept so imports keep working.

/** @deprecated Renamed `ATPEngineLike`. */
export type AtpEngineLike = ATPEngineLike;
/** @deprecated Renamed `createATPMCPServer`. */
export const createATPMcpServer = createATPMCPServer;
/** @deprecated Renamed `createATPMCPHTTPHandler`. */
export const createATPMcpHttpHandler = createATPMCPHTTPHandler;
/** @deprecated Renamed `ATPMCPHTTPHandler`. */
export type ATPMcpHttpHandler = ATPMCPHTTPHandler;
/** @deprecated Renamed `ATPMCPHTTPOptions`. */
export type ATPMcpHttpOptions = ATPMCPHTTPOptions;
/** @deprecated Renamed `ATPMCPServerOptions`. */
export type ATPMcpServerOptions = ATPMCPServerOptions;
/** @deprecated Renamed `ATPMCPServerOptionsSchema`. */
export const ATPMcpServerOptionsSchema = ATPMCPServerOptionsSchema;
/** @deprecated Renamed `parseATPMCPServerOptions`. */
export const parseATPMcpServerOptions = parseATPMCPServerOptions;
/** @deprecated Renamed `HTTPRequest`. */
export type HttpRequest = HTTPRequest;
/** @deprecated Renamed `MCPPeer`. */
export type McpPeer = MCPPeer;
/** @deprecated Renamed `HTTPServerConfig`. */
export type HttpServerConfig = HTTPServerConfig;
/** @deprecated Renamed `HTTPServerConfigSchema`. */
export const HttpServerConfigSchema = HTTPServerConfigSchema;
