import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { ATPEngineLike } from './engine-like.js';
import { createATPMCPServer } from './mcp-server.js';
import type { ATPMCPServerOptions } from './options.js';

export type HTTPRequest = IncomingMessage & { body?: unknown };

export interface ATPMCPHTTPOptions extends ATPMCPServerOptions {
  /** Return false to answer 401 (runs before every MCP request; the engine's auth provider also sees the headers). */
  authorize?: (req: HTTPRequest) => boolean | Promise<boolean>;
  /** DNS-rebinding protection: only these `Host` values are served (403 otherwise). */
  allowedHosts?: string[];
  /** Requests that carry an `Origin` header must carry one of these (403 otherwise). */
  allowedOrigins?: string[];
}

/** An express-compatible handler for MCP Streamable HTTP, one MCP server (and ATP client) per session. */
export interface ATPMCPHTTPHandler {
  (req: HTTPRequest, res: ServerResponse): Promise<void>;
  /** Open MCP sessions. */
  readonly sessionCount: number;
  /** Closes every session (their SSE streams end). */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

class BodyTooLargeError extends Error {}

/** The JSON body, read from the stream when no body parser (such as express.json()) ran first. */
async function jsonBody(req: HTTPRequest): Promise<unknown> {
  if (req.body !== undefined || req.method !== 'POST') return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

const isInitialize = (body: unknown): boolean =>
  Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);

/**
 * Streamable HTTP for ATP over MCP: `server.mount('/mcp', createATPMCPHTTPHandler(server.engine))`.
 * POST without `mcp-session-id` must be `initialize` and opens a session; POST/GET/DELETE with the id
 * reach that session; an unknown id gets 404 (the spec's "start a new session").
 */
export function createATPMCPHTTPHandler(
  engine: ATPEngineLike,
  options: ATPMCPHTTPOptions = {},
): ATPMCPHTTPHandler {
  const { authorize, allowedHosts, allowedOrigins, ...serverOptions } = options;
  const logger = serverOptions.logger ?? silentLogger;
  const sessions = new Map<string, Session>();

  const openSession = async (): Promise<Session> => {
    const server = createATPMCPServer(engine, serverOptions);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        logger.debug({ sessionId: id }, 'MCP session opened');
      },
    });
    const session: Session = { transport, server };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      logger.debug({ sessionId: transport.sessionId }, 'MCP session closed');
      void server.close().catch(() => undefined);
    };
    await server.connect(transport);
    return session;
  };

  /** DNS-rebinding protection: a browser page on another site must not reach a loopback server. */
  const rejectedOrigin = (req: HTTPRequest): string | undefined => {
    const host = req.headers.host;
    if (allowedHosts && (!host || !allowedHosts.includes(host))) return `Host "${host ?? ''}" is not allowed`;
    const origin = req.headers.origin;
    if (allowedOrigins && origin !== undefined && !allowedOrigins.includes(origin)) {
      return `Origin "${origin}" is not allowed`;
    }
    return undefined;
  };

  const handle = async (req: HTTPRequest, res: ServerResponse): Promise<void> => {
    try {
      const rejected = rejectedOrigin(req);
      if (rejected) return sendJsonRpcError(res, 403, -32000, rejected);
      if (authorize && !(await authorize(req))) {
        return sendJsonRpcError(res, 401, -32001, 'Unauthorized');
      }
      let body: unknown;
      try {
        body = await jsonBody(req);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendJsonRpcError(res, 413, -32600, `The body is larger than ${MAX_BODY_BYTES} bytes`);
        }
        return sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not JSON');
      }
      const header = req.headers['mcp-session-id'];
      const sessionId = Array.isArray(header) ? header[0] : header;
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found');
        return await session.transport.handleRequest(req, res, body);
      }
      if (req.method !== 'POST' || !isInitialize(body)) {
        return sendJsonRpcError(
          res,
          400,
          -32000,
          'Bad Request: send initialize first, then the mcp-session-id header',
        );
      }
      const session = await openSession();
      await session.transport.handleRequest(req, res, body);
      // An initialize the transport rejected leaves no session behind.
      if (session.transport.sessionId === undefined) await session.server.close();
    } catch (error) {
      logger.error({ err: error }, 'MCP HTTP request failed');
      sendJsonRpcError(res, 500, -32603, `Internal error: ${errorMessage(error)}`);
    }
  };

  return Object.defineProperties(handle, {
    sessionCount: { get: () => sessions.size },
    close: {
      value: async () => {
        const open = [...sessions.values()];
        sessions.clear();
        await Promise.allSettled(open.map((session) => session.transport.close()));
      },
    },
  }) as ATPMCPHTTPHandler;
}
