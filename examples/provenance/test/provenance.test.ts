import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');

describe('examples/provenance', () => {
  it('blocks the injected exfiltration and lets the legitimate request through', async () => {
    const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'development' },
      timeout: 60_000,
    });
    expect(stdout).toContain('Mail may only be sent to the user (me@example.com)');
    expect(stdout).toContain('status: security_violation');
    expect(stdout).toMatch(
      /The call to api\.mail\.send was blocked \(policy preventDataExfiltration\): parameter "body" carries data from tool:mail\.inbox/,
    );
    expect(stdout).toContain('status: completed, result: "done"');
    const outbox = stdout.slice(stdout.indexOf('Outbox:'));
    expect(outbox).toContain('to me@example.com:');
    expect(outbox).toContain('to friend@elsewhere.example: "Markets calm; Rain expected"');
    expect(outbox).not.toContain('evil.example');
    expect(outbox).not.toMatch(/0299-7144/i);
  }, 90_000);
});
