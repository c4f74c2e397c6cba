import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';

const run = promisify(execFile);
const root = join(__dirname, '..');
const TOKEN = 'example-test-token-Gq7w';

/** Starts `src/main.ts --serve` and waits until it printed the ATP server's URL. */
function serve(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string; atpUrl: string }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', 'src/main.ts', '--serve'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /ATP server listening on (http:\/\/\S+):/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => output, atpUrl: match[1]! });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('examples/graphql', () => {
  it('`start` serves the store GraphQL API through ATP, runs every agent snippet and exits', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--no-node-snapshot', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, STORE_API_TOKEN: TOKEN },
      timeout: 60_000,
    });
    expect(stdout).toMatch(
      /ATP server listening on http:\/\/127\.0\.0\.1:\d+: api\.store\.\* has 5 functions/,
    );
    expect(stdout).toContain(
      'query_products, query_product, query_searchProducts, mutation_addReview, mutation_deleteReview',
    );
    expect(stdout).toMatch(/search → store\.mutation_addReview/);
    expect(stdout.match(/status: completed/g)).toHaveLength(5);
    expect(stdout).toContain('"name": "Trail 45 pack"');
    expect(stdout).toContain('"Expedition 70 pack $310.00"');
    expect(stdout).toContain('(at product.costPrice)');
    expect(stdout).toContain('Did you mean \\"price\\"?');
    expect(stdout).toMatch(/approval requested: .*api\.store\.mutation_addReview.* → approved/);
    expect(stdout).toContain('"product": "Alpine stove"');
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  });

  it('`--serve` with GRAPHQL_URL puts another GraphQL endpoint behind a second ATP server', async () => {
    const store = await serve({ STORE_API_TOKEN: TOKEN });
    let own: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      const storeUrl = /Store GraphQL API listening on (http:\/\/\S+)/.exec(store.output())![1]!;
      own = await serve({
        GRAPHQL_URL: storeUrl,
        GRAPHQL_NAME: 'shop',
        GRAPHQL_TOKEN_ENV: 'MY_STORE_TOKEN',
        MY_STORE_TOKEN: TOKEN,
      });
      expect(own.output()).toContain('api.shop.* has 5 functions');
      expect(own.output()).not.toContain('Store GraphQL API listening');

      const client = new AgentToolProtocolClient({ baseUrl: own.atpUrl });
      await client.init({ name: 'example-test' });
      const result = await client.execute(`
        const tents = await api.shop.query_products({ category: 'TENTS', _fields: 'totalCount nodes { name }' });
        let missing;
        try { await api.shop.query_product({ id: 'P-9', _fields: 'nmae' }); } catch (e) { missing = e.code; }
        return { tents: tents.nodes.map((p) => p.name), total: tents.totalCount, missing };
      `);
      expect(result).toMatchObject({
        status: 'completed',
        result: { tents: ['Ridge 2 tent', 'Summit 1 tent'], total: 2, missing: 'VALIDATION_ERROR' },
      });
    } finally {
      if (own) await stop(own.child);
      await stop(store.child);
    }
    expect(store.output()).not.toContain(TOKEN);
  });
});
