import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');

describe('examples/plans', () => {
  it('bulk-updates 50 records with one approval instead of 50', async () => {
    const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'development' },
      timeout: 60_000,
    });
    expect(stdout).toContain('typecheck: validation_failed (TYPECHECK_FAILED)');
    expect(stdout).toContain(
      "line 2: Property 'customer' does not exist on api.crm. Did you mean 'customers'?",
    );
    expect(stdout).toContain('without a plan: completed, {"upgraded":50}, approvals asked: 50');
    expect(stdout).toMatch(/plan plan_.*: 50 effects, 0 performed while planning/);
    expect(stdout).toContain('first: api.crm.customers.update {"id":"C-001","plan":"pro"}');
    expect(stdout).toContain(
      'with a plan: completed, {"upgraded":50}, approvals asked: 1, pro customers: 50',
    );
    expect(stdout).toMatch(/unplanned effect: Approval for api\.crm\.customers\.delete was denied/);
  });
});
