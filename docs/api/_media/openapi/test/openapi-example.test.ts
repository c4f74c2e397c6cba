import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';

const run = promisify(execFile);
const root = join(__dirname, '..');
const TOKEN = 'example-test-token-Zq8v';

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

describe('examples/openapi', () => {
  it('`start` serves the shop API through ATP, runs every agent snippet and exits', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--no-node-snapshot', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, SHOP_API_TOKEN: TOKEN },
      timeout: 60_000,
    });
    expect(stdout).toMatch(
      /ATP server listening on http:\/\/127\.0\.0\.1:\d+: api\.shop\.\* has 8 functions/,
    );
    expect(stdout).toMatch(/search → .*shop\.inventory\.listProducts/);
    expect(stdout.match(/status: completed/g)).toHaveLength(4);
    expect(stdout).toContain('"sku": "TEA-003"');
    expect(stdout).toContain('"customer": "Ada Byron"');
    expect(stdout).toContain('"firstTry": "HTTP_ERROR 409"');
    expect(stdout).toContain('"placed": "O-1005"');
    expect(stdout).toContain(
      'approval requested: Allow api.shop.orders.cancelOrder({"orderId":"O-1004"})? → approved',
    );
    expect(stdout).toContain('"status": "cancelled"');
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  });

  it('`--serve` with OPENAPI_SPEC puts another deployment of the API behind a second ATP server', async () => {
    const shop = await serve({ SHOP_API_TOKEN: TOKEN });
    let own: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      const shopUrl = /Shop API listening on (http:\/\/\S+)/.exec(shop.output())![1]!;
      own = await serve({
        OPENAPI_SPEC: 'spec/shop.yaml',
        OPENAPI_BASE_URL: shopUrl,
        OPENAPI_NAME: 'myshop',
        OPENAPI_TOKEN_ENV: 'MY_SHOP_TOKEN',
        MY_SHOP_TOKEN: TOKEN,
      });
      expect(own.output()).toContain('api.myshop.* has 8 functions');
      expect(own.output()).not.toContain('Shop API listening');

      const client = new AgentToolProtocolClient({ baseUrl: own.atpUrl });
      await client.init({ name: 'example-test' });
      const result = await client.execute(`
        const tea = await api.myshop.inventory.listProducts({ category: 'tea' });
        let missing;
        try { await api.myshop.orders.getOrder({ orderId: 'O-9999' }); } catch (e) { missing = e.status + ' ' + e.code; }
        return { tea: tea.map((p) => p.sku), missing };
      `);
      expect(result).toMatchObject({
        status: 'completed',
        result: { tea: ['TEA-001', 'TEA-002', 'TEA-003'], missing: '404 HTTP_ERROR' },
      });
    } finally {
      if (own) await stop(own.child);
      await stop(shop.child);
    }
    expect(shop.output()).not.toContain(TOKEN);
  });
});
