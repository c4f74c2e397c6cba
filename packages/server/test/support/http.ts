import {
  type AgentToolProtocolServer,
  createServer,
  type ServerConfigInput,
} from '@agent-tool-protocol/server';
import { supportDesk } from './support-desk';

export const TEST_SECRET = 'test-secret-that-is-long-enough';

/** Starts a server on port 0 with the support desk API; `prepare` runs before it starts (setters, use). */
export async function startServer(
  config: ServerConfigInput = {},
  prepare: (server: AgentToolProtocolServer) => void = () => undefined,
) {
  const desk = supportDesk();
  const server = createServer({
    ...config,
    auth: { jwtSecret: TEST_SECRET, ...config.auth },
    execution: { isolatePoolSize: 1, ...config.execution },
  });
  server.addAPIGroup(desk.group);
  prepare(server);
  await server.listen(0);
  const url = server.url!;
  const call = async (
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined || options.raw !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...options.headers,
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  const init = async (body: unknown = {}) => {
    const response = await call('POST', '/api/init', { body });
    const { clientId, token } = response.json as { clientId: string; token: string };
    return { clientId, token, headers: { authorization: `Bearer ${token}`, 'x-client-id': clientId } };
  };
  return { server, url, desk, call, init, close: () => server.shutdown(1000) };
}
