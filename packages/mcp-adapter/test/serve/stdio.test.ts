import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { fixture, isAlive, waitFor } from '../helpers';
import { json } from './harness';

// The fixture is a real child process running the BUILT packages (`pnpm turbo run build
// --filter=@agent-tool-protocol/mcp-adapter...`), as a user's `atp mcp`-style script would.
const built = ['mcp-adapter', 'server'].every((pkg) =>
  existsSync(join(__dirname, '..', '..', '..', pkg, 'dist', 'index.js')),
);

describe('ATP served over MCP stdio (child process)', () => {
  it('lists tools, runs code against the engine, and samples through the client', async () => {
    if (!built)
      throw new Error('Build first: pnpm turbo run build --filter=@agent-tool-protocol/mcp-adapter...');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--no-node-snapshot', fixture('atp-stdio-server.mjs')],
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const prompt = (request.params.messages[0]!.content as { text: string }).text;
      return { model: 'm', role: 'assistant', content: { type: 'text', text: `summary of ${prompt}` } };
    });
    await client.connect(transport);
    const pid = transport.pid!;
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'atp-stdio-fixture' });
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
        'execute_code',
        'explore_api',
        'search_api',
      ]);
      const found = json(
        await client.callTool({ name: 'search_api', arguments: { query: 'temperature readings' } }),
      );
      expect(found[0]).toMatchObject({ call: 'api.weather.readings' });
      const result = await client.callTool({
        name: 'execute_code',
        arguments: {
          code: `
            const rows = await api.weather.readings({ city: 'Oslo' });
            const max = Math.max(...rows.map((r) => r.celsius));
            return { max, note: await atp.llm.call('max ' + max) };
          `,
        },
      });
      expect(json(result)).toEqual({ status: 'completed', result: { max: 19, note: 'summary of max 19' } });
    } finally {
      await client.close();
    }
    await waitFor(() => !isAlive(pid), 10_000, 'the stdio server to exit');
    expect(stderr).toContain('atp stdio fixture ready');
  });
});
