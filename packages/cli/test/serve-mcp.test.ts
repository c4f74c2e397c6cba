import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cleanupChildren, startServe, tempDir } from './support/cli-process';

const API_KEY = 'cli-mcp-test-key-0123456789';

afterEach(() => cleanupChildren());

const initialize = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    }),
  });

async function runCode(url: string, headers: Record<string, string>, code: string): Promise<string> {
  const client = new Client({ name: 'cli-mcp-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }),
  );
  try {
    const result = await client.callTool({ name: 'execute_code', arguments: { code } });
    return (result.content as Array<{ text: string }>)[0]!.text;
  } finally {
    await client.close();
  }
}

describe('atp serve: /mcp', () => {
  test('is authenticated by default: a client token from /api/init, or a key the auth section accepts', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'atp.config.yaml'), `auth:\n  apiKeys: ["${API_KEY}"]\n`);
    const gateway = await startServe([], { cwd: dir });
    expect(gateway.stdout()).toContain(
      `MCP       ${gateway.url}/mcp   (Streamable HTTP; clients send Authorization: Bearer <token from POST /api/init> or an API key / JWT the auth section accepts)`,
    );

    const anonymous = await initialize(gateway.url);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toContain(
      'Missing API key',
    );

    expect(await runCode(gateway.url, { 'x-api-key': API_KEY }, 'return 20 + 1')).toContain('21');
    const init = await fetch(`${gateway.url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: '{}',
    });
    const { token } = (await init.json()) as { token: string };
    expect(await runCode(gateway.url, { authorization: `Bearer ${token}` }, 'return 2 * 21')).toContain('42');
  });

  test('--mcp-anonymous serves it without credentials and says so', async () => {
    const gateway = await startServe(['--mcp-anonymous']);
    expect(gateway.stdout()).toContain('(Streamable HTTP; anonymous: anyone who can reach it can run code)');
    expect(await runCode(gateway.url, {}, 'return "open"')).toContain('open');
    // /api keeps its own rules.
    expect((await fetch(`${gateway.url}/api/executions`)).status).toBe(401);
  });
});
