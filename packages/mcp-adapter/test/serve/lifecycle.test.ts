import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ATPEngine, createEngine } from '@agent-tool-protocol/engine';
import {
  type ATPEngineLike,
  createATPMCPHTTPHandler,
  createATPMCPServer,
} from '@agent-tool-protocol/mcp-adapter';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { json } from './harness';
import { warehouse } from './warehouse';

const secret = 'mcp-adapter-test-secret-long-enough';

describe('ATP over MCP outside the ATP server', () => {
  it('runs under a bare node:http server (reads the body itself)', async () => {
    const engine = createEngine({
      auth: { jwtSecret: secret },
      execution: { isolatePoolSize: 0 },
      apiGroups: [warehouse().group],
    });
    const handler = createATPMCPHTTPHandler(engine);
    const { token } = await engine.init({}); // in process: no HTTP needed for a client token
    const http = createHttpServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = new Client({ name: 'bare', version: '1' });
    try {
      const { port } = http.address() as AddressInfo;
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      const result = await client.callTool({
        name: 'execute_code',
        arguments: { code: "return (await api.warehouse.listProducts({ category: 'kitchen' })).length" },
      });
      expect(json(result)).toEqual({ status: 'completed', result: 4 });
      const broken = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{not json',
      });
      expect(broken.status).toBe(400);
    } finally {
      await client.close();
      await handler.close();
      await new Promise((resolve) => http.close(resolve));
      await engine.shutdown(500);
    }
  });

  it('makes a new ATP client when the engine forgot the session', async () => {
    // Two engines with the same secret and separate caches: the second is the first after a restart.
    const [first, restarted] = [0, 1].map(() =>
      createEngine({
        auth: { jwtSecret: secret },
        execution: { isolatePoolSize: 0 },
        apiGroups: [warehouse().group],
      }),
    ) as [ATPEngine, ATPEngine];
    let engine = first;
    const inits: string[] = [];
    const counting: ATPEngineLike = {
      init: async (...args) => {
        const response = await engine.init(...args);
        inits.push(response.clientId);
        return response;
      },
      search: (body) => engine.search(body),
      explore: (body) => engine.explore(body),
      definitions: (query) => engine.definitions(query),
      runtimeDefinitions: (clientId, apis) => engine.runtimeDefinitions(clientId, apis),
      execute: (clientId, body, listeners) => engine.execute(clientId, body, listeners),
      resume: (clientId, executionId, body, listeners) =>
        engine.resume(clientId, executionId, body, listeners),
    };
    const server = createATPMCPServer(counting);
    const client = new Client({ name: 'slow', version: '1' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(b), client.connect(a)]);
    try {
      expect(
        json(await client.callTool({ name: 'execute_code', arguments: { code: 'return 1' } })).result,
      ).toBe(1);
      // A restart with a non-shared cache: the token still verifies, the session is gone.
      engine = restarted;
      expect(
        json(await client.callTool({ name: 'execute_code', arguments: { code: 'return 2' } })).result,
      ).toBe(2);
      expect(inits).toHaveLength(2);
      expect(inits[0]).not.toBe(inits[1]);
    } finally {
      await client.close();
      await server.close();
      await Promise.all([first.shutdown(500), restarted.shutdown(500)]);
    }
  });
});
