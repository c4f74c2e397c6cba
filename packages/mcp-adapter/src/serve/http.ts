import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isATPError } from '@agent-tool-protocol/protocol';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { ATPEngineLike } from './engine-like.js';
import {
  BodyTooLargeError,
  type HTTPRequest,
  headerOf,
  jsonBody,
  MAX_BODY_BYTES,
  sendJsonRpcError,
} from './http-io.js';
import { type ATPMCPHTTPOptions, parseHttpOptions } from './http-options.js';
import { authenticateRequest, type Principal } from './http-principal.js';
import { createSessionRateLimiter } from './http-rate-limit.js';
import { type OpenSession, SessionRegistry } from './http-sessions.js';
import { createATPMCPServer } from './mcp-server.js';

export type { HTTPRequest } from './http-io.js';
export type { ATPMCPHTTPOptions, ATPMCPRateLimitOptions } from './http-options.js';

/** An express-compatible handler for MCP Streamable HTTP, one MCP server (and ATP client) per session. */
export interface ATPMCPHTTPHandler {
  (req: HTTPRequest, res: ServerResponse): Promise<void>;
  /** Open MCP sessions. */
  readonly sessionCount: number;
  /** Closes every session (their SSE streams end). */
  close(): Promise<void>;
}

const isInitialize = (body: unknown): boolean =>
  Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);

const UNAUTHORIZED_HEADERS = { 'www-authenticate': 'Bearer' };

/**
 * Streamable HTTP for ATP over MCP: `server.mount('/mcp', createATPMCPHTTPHandler(server.engine))`.
 * Every request must authenticate as `/api` does (a client token from `/api/init`, or what the auth
 * provider accepts) unless `allowAnonymous`. POST without `mcp-session-id` must be `initialize` and opens
 * a session, bound to whoever opened it; POST/GET/DELETE with the id reach that session; an unknown id,
 * or another caller's, gets 404 (the spec's "start a new session").
 */
export function createATPMCPHTTPHandler(
  engine: ATPEngineLike,
  options: ATPMCPHTTPOptions = {},
): ATPMCPHTTPHandler {
  const { http, server: serverOptions } = parseHttpOptions(options);
  const logger = serverOptions.logger ?? silentLogger;
  const addressOf = (req: HTTPRequest) => http.clientAddress?.(req) ?? req.socket?.remoteAddress;
  const rateLimit = http.rateLimit === false ? undefined : createSessionRateLimiter(http.rateLimit);
  const sessions = new SessionRegistry(
    {
      maxSessions: http.maxSessions,
      maxSessionsPerClient: http.maxSessionsPerClient,
      idleTimeoutMs: http.sessionIdleTimeoutMs,
    },
    (sessionId, reason) => logger.debug({ sessionId, reason }, 'MCP session closed by the server'),
  );
  if (http.allowAnonymous) {
    logger.warn(
      { allowAnonymous: true },
      'ATP over MCP HTTP serves without credentials: use it only on a trusted network',
    );
  }

  const openSession = async (principal: Principal, address: string | undefined): Promise<OpenSession> => {
    const server = createATPMCPServer(engine, serverOptions, {
      ...(principal.clientId !== undefined ? { clientId: principal.clientId } : {}),
      ...(address !== undefined ? { ip: address } : {}),
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.add(id, session);
        logger.debug({ sessionId: id, principal: principal.key }, 'MCP session opened');
      },
    });
    const session: OpenSession = {
      transport,
      server,
      principal: principal.key,
      lastSeen: Date.now(),
      active: 0,
    };
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
    if (http.allowedHosts && (!host || !http.allowedHosts.includes(host))) {
      return `Host "${host ?? ''}" is not allowed`;
    }
    const origin = req.headers.origin;
    if (http.allowedOrigins && origin !== undefined && !http.allowedOrigins.includes(origin)) {
      return `Origin "${origin}" is not allowed`;
    }
    return undefined;
  };

  const handle = async (req: HTTPRequest, res: ServerResponse): Promise<void> => {
    try {
      const rejected = rejectedOrigin(req);
      if (rejected) return sendJsonRpcError(res, 403, -32000, rejected);
      if (http.authorize && !(await http.authorize(req))) {
        return sendJsonRpcError(res, 401, -32001, 'Unauthorized', UNAUTHORIZED_HEADERS);
      }
      const sessionId = headerOf(req, 'mcp-session-id');
      const address = addressOf(req);
      if (sessionId === undefined && rateLimit) {
        const refused = await rateLimit(address ?? 'unknown');
        if (refused) {
          return sendJsonRpcError(res, 429, -32000, refused.message, {
            'retry-after': String(refused.retryAfterSeconds),
          });
        }
      }
      const authentication = await authenticateRequest(req, address, engine, {
        allowAnonymous: http.allowAnonymous,
        authProvider: http.authProvider,
      });
      if (!authentication.ok) {
        return sendJsonRpcError(
          res,
          401,
          -32001,
          `Unauthorized: ${authentication.message}`,
          UNAUTHORIZED_HEADERS,
        );
      }
      const { principal } = authentication;
      let body: unknown;
      try {
        body = await jsonBody(req);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendJsonRpcError(res, 413, -32600, `The body is larger than ${MAX_BODY_BYTES} bytes`);
        }
        return sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not JSON');
      }
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId, principal.key);
        if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found');
        sessions.touch(session, req.method, res);
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
      const admission = sessions.admit(principal.key);
      if (!admission.ok) {
        return sendJsonRpcError(res, admission.status, -32000, admission.message, { 'retry-after': '30' });
      }
      try {
        const session = await openSession(principal, address);
        await session.transport.handleRequest(req, res, body);
        // An initialize the transport rejected leaves no session behind.
        if (session.transport.sessionId === undefined) await session.server.close();
      } finally {
        admission.release();
      }
    } catch (error) {
      logger.error({ err: error }, 'MCP HTTP request failed');
      const status = isATPError(error) ? error.httpStatus : 500;
      sendJsonRpcError(res, status, -32603, `Internal error: ${errorMessage(error)}`);
    }
  };

  return Object.defineProperties(handle, {
    sessionCount: { get: () => sessions.size },
    close: {
      value: async () => {
        const open = sessions.drain();
        await Promise.allSettled(open.map((session) => session.transport.close()));
      },
    },
  }) as ATPMCPHTTPHandler;
}
