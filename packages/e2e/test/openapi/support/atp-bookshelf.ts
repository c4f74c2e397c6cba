import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, ToolCallContext, ToolCallDecision } from '@agent-tool-protocol/protocol';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';
import pino from 'pino';
import { BookshelfServer } from '../../../../openapi/test/helpers/bookshelf-server';

/** The API's bearer token: a value that must never show up anywhere the agent or an operator can read. */
export const BOOKSHELF_SECRET = 'bks_live_7Qx9e2eSecretTokenValue';
const TOKEN_ENV_VAR = 'ATP_E2E_BOOKSHELF_TOKEN';
const JWT_SECRET = 'openapi-e2e-jwt-secret-long-enough';

export interface BookshelfATP {
  readonly bookshelf: BookshelfServer;
  readonly group: APIGroup;
  readonly server: AgentToolProtocolServer;
  readonly url: string;
  /** Every log line written by the ATP server and the OpenAPI loader (pino JSON, level trace). */
  readonly logs: string[];
  /** `METHOD url status body` of every HTTP response the clients of `client()` received. */
  readonly responses: string[];
  /** What the runtime's beforeToolCall hook saw, in call order. */
  readonly toolCalls: ToolCallContext[];
  /** An initialised client whose HTTP traffic is recorded in `responses`. */
  client(configure?: (client: AgentToolProtocolClient) => void): Promise<AgentToolProtocolClient>;
  /** GET/POST on the ATP server with a fresh client's token, recorded like the client's traffic. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A real ATP server with the bookshelf fixture (test/fixtures/bookshelf.yaml) loaded through loadOpenAPI
 * against a local BookshelfServer. Destructive calls ask for approval, as a security policy would.
 */
export async function startBookshelfATP(): Promise<BookshelfATP> {
  const logs: string[] = [];
  const responses: string[] = [];
  const toolCalls: ToolCallContext[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );

  const bookshelf = await new BookshelfServer(BOOKSHELF_SECRET).start();
  process.env[TOKEN_ENV_VAR] = BOOKSHELF_SECRET;
  const group = await loadOpenAPI({
    name: 'bookshelf',
    path: join(__dirname, '../../../../openapi/test/fixtures/bookshelf.yaml'),
    baseUrl: bookshelf.url,
    auth: { scheme: 'bearer', envVar: TOKEN_ENV_VAR },
    retry: false,
    logger: logger.child({ component: 'openapi' }),
  });

  const beforeToolCall = (context: ToolCallContext): ToolCallDecision => {
    toolCalls.push(context);
    return context.metadata.operationType === 'destructive'
      ? { action: 'approve', message: `Allow ${context.path}(${JSON.stringify(context.input)})?` }
      : { action: 'allow' };
  };
  const server = createServer({
    auth: { jwtSecret: JWT_SECRET },
    execution: { isolatePoolSize: 1, hooks: { beforeToolCall } },
    logger,
  });
  server.addAPIGroup(group);
  await server.listen(0);
  const url = server.url!;

  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const body = await response.clone().text();
    responses.push(`${init?.method ?? 'GET'} ${String(input)} ${response.status} ${body}`);
    return response;
  };

  const client = async (configure?: (client: AgentToolProtocolClient) => void) => {
    const atp = new AgentToolProtocolClient({ baseUrl: url, fetch: recordingFetch });
    configure?.(atp);
    await atp.init({ name: 'openapi-e2e' });
    return atp;
  };

  const request = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const init = await recordingFetch(`${url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { clientId, token } = (await init.json()) as { clientId: string; token: string };
    const response = await recordingFetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-client-id': clientId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return response.json();
  };

  return {
    bookshelf,
    group,
    server,
    url,
    logs,
    responses,
    toolCalls,
    client,
    request,
    close: async () => {
      await server.shutdown(1_000);
      await bookshelf.stop();
      delete process.env[TOKEN_ENV_VAR];
    },
  };
}
