import { Writable } from 'node:stream';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import type { APIGroup, ToolCallContext, ToolCallDecision } from '@agent-tool-protocol/protocol';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';
import pino from 'pino';
import { LibraryServer } from '../../../../graphql/test/helpers/library-server';

/** The GraphQL API's bearer token: it must never show up anywhere the agent or an operator can read. */
export const LIBRARY_SECRET = 'gql_live_e2eLibrarySecretTokenValue';
const TOKEN_ENV_VAR = 'ATP_E2E_LIBRARY_TOKEN';
const JWT_SECRET = 'graphql-e2e-jwt-secret-long-enough';

export interface LibraryATP {
  readonly library: LibraryServer;
  readonly group: APIGroup;
  readonly server: AgentToolProtocolServer;
  readonly url: string;
  /** Every log line of the ATP server and the GraphQL loader (pino JSON, level trace). */
  readonly logs: string[];
  /** `METHOD url status body` of every HTTP response the clients of `client()` received. */
  readonly responses: string[];
  /** What the beforeToolCall hook saw, in call order. */
  readonly toolCalls: ToolCallContext[];
  client(configure?: (client: AgentToolProtocolClient) => void): Promise<AgentToolProtocolClient>;
  /** GET/POST on the ATP server with a fresh client's token, recorded like the client's traffic. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A real ATP server in front of a real GraphQL server (graphql-js on node:http, token-protected), the
 * schema introspected from the endpoint by loadGraphQL. Mutations need approval through the rules file.
 */
export async function startLibraryATP(): Promise<LibraryATP> {
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

  const library = await new LibraryServer(LIBRARY_SECRET).start();
  process.env[TOKEN_ENV_VAR] = LIBRARY_SECRET;
  const group = await loadGraphQL(library.url, {
    name: 'library',
    auth: { scheme: 'bearer', envVar: TOKEN_ENV_VAR },
    retry: false,
    logger: logger.child({ component: 'graphql' }),
  });

  const beforeToolCall = (context: ToolCallContext): ToolCallDecision => {
    toolCalls.push(context);
    return { action: 'allow' };
  };
  const server = createServer({
    auth: { jwtSecret: JWT_SECRET },
    execution: {
      isolatePoolSize: 1,
      hooks: { beforeToolCall },
      rules: { requireApproval: ['library.mutation_*'] },
    },
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
    await atp.init({ name: 'graphql-e2e' });
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
    library,
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
      await library.stop();
      delete process.env[TOKEN_ENV_VAR];
    },
  };
}
