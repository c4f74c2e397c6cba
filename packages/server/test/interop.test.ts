import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from './support/http';

const run = promisify(execFile);

describe('wire compatibility with the published ATP 0.19 client', () => {
  it('init, search, execute with an API call, an atp.llm.call pause and several callbacks in one pause', async () => {
    const h = await startServer();
    try {
      const { stdout } = await run(process.execPath, [join(__dirname, 'support/atp019-client.mjs'), h.url], {
        cwd: __dirname,
        timeout: 60_000,
      });
      const report = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(report.searchTop).toBe('list');
      expect(report.searchBlogFields).toEqual({
        name: 'tickets.list',
        signature: 'string',
        description: 'string',
      });
      expect(report.apiCall).toMatchObject({ status: 'completed', result: { open: 20, first: 'T-2' } });
      expect(report.llm).toMatchObject({ status: 'completed', result: 'answer to hello' });
      expect(report.several).toMatchObject({
        status: 'completed',
        result: ['answer to a', 'answer to b', 'answer to c'],
      });
      expect(report.llmCalls).toBe(4);
    } finally {
      await h.close();
    }
  });
});
