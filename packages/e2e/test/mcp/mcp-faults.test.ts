import { join } from 'node:path';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { startServer } from '../../../server/test/support/http';

// Reliability of MCP groups behind a real ATP server (docs/reliability.md): the server package cannot
// depend on mcp-adapter (which depends on it), so this end-to-end case lives here.

type Harness = Awaited<ReturnType<typeof startServer>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function execute(h: Harness, headers: Record<string, string>, code: string) {
  return h.call('POST', '/api/execute', { headers, body: { code } });
}

describe('reliability: MCP faults', () => {
  it('an MCP server that crashes mid-call or never answers: the call fails clearly, the server restarts it', async () => {
    const connector = new MCPConnector({
      callTimeoutMs: 1_000,
      restart: { initialDelayMs: 50, maxAttempts: 3 },
    });
    const h = await startServer();
    try {
      const fixture = join(__dirname, '../../../mcp-adapter/test/fixtures/test-server.mjs');
      h.server.addAPIGroup(
        await connector.connectToMCPServer({ name: 'tools', command: process.execPath, args: [fixture] }),
      );
      const { headers } = await h.init();
      const crashed = await execute(h, headers, 'return await api.tools.crash({});');
      expect(crashed.status).toBe(200);
      expect(crashed.json.status).toBe('failed');
      expect(JSON.stringify(crashed.json.error)).toMatch(/exited while tools\.crash was in flight/);

      // The crashed server is restarted: later calls work (bounded wait for the restart).
      let echoed: Awaited<ReturnType<typeof execute>> | undefined;
      for (let attempt = 0; attempt < 40; attempt++) {
        echoed = await execute(h, headers, 'return await api.tools.echo({ message: "back" });');
        if (echoed.json.status === 'completed') break;
        await sleep(100);
      }
      expect(echoed?.json).toMatchObject({ status: 'completed', result: 'back' });

      const hung = await execute(h, headers, 'return await api.tools.hang({});');
      expect(hung.status).toBe(200);
      expect(hung.json.status).toBe('failed');
      expect(JSON.stringify(hung.json.error)).toMatch(/tools\.hang.*1000 ms|1000 ms.*tools\.hang/);
      const after = await execute(h, headers, 'return await api.tools.echo({ message: "still here" });');
      expect(after.json).toMatchObject({ status: 'completed', result: 'still here' });
      expect(h.server.engine.runningExecutions).toBe(0);
    } finally {
      await h.close();
      await connector.close();
    }
  });
});
