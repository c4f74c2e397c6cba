// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references
import { execFile } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExitCode } from '../src/exit-codes';
import { CLI, childEnv, cleanupChildren, FIXTURES, runCli, startServe, tempDir } from './support/cli-process';
import { startBookshelfBackend, startFakeLLM, type TestHttpServer } from './support/http-servers';

const servers: TestHttpServer[] = [];

afterEach(async () => {
  await cleanupChildren();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function runningGateway() {
  const dir = tempDir();
  return { dir, gateway: await startServe([], { cwd: dir }) };
}

/** What a terminal shows at the end: each `\r` / erase-line (`ESC[2K`) redraw replaces the line so far. */
function screenLines(raw: string): string[] {
  return raw
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map(
      (line) =>
        line
          .split('\r')
          .map((segment) => segment.replaceAll('\x1b[2K', ''))
          .filter((segment) => segment !== '')
          .at(-1) ?? '',
    )
    .filter((line) => line !== '');
}

describe('atp exec', () => {
  test('on a terminal: a live status line with progress, log lines as they come, and a clean final screen', async () => {
    const { dir, gateway } = await runningGateway();
    writeFileSync(
      join(dir, 'agent.ts'),
      'atp.log.info("starting");\natp.progress.report("half way", 0.5);\nreturn { ok: true };\n',
    );
    // `script` gives the CLI a pseudo-terminal, as a person's shell does.
    const { stdout: raw } = await promisify(execFile)(
      'script',
      ['-qec', `"${process.execPath}" "${CLI}" exec agent.ts --server ${gateway.url}`, '/dev/null'],
      { cwd: dir, env: childEnv(), timeout: 60_000 },
    );
    expect(raw).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (running|50% half way) \(\d+\.\d s\)/);
    expect(screenLines(raw)).toEqual([
      '[info] starting',
      '{',
      '  "ok": true',
      '}',
      expect.stringMatching(/^✔ completed in \d+ ms · 0 tool calls$/),
    ]);
  });

  test('runs a TypeScript file against a running server: result JSON on stdout, atp.log lines on stderr, exit 0', async () => {
    const { dir, gateway } = await runningGateway();
    writeFileSync(
      join(dir, 'agent.ts'),
      [
        'const rows: Array<{ n: number }> = [1, 2, 3].map((n) => ({ n }));',
        'atp.log.info("summing", { count: rows.length });',
        'return { total: rows.reduce((sum, row) => sum + row.n, 0) };',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runCli(['exec', 'agent.ts', '--server', gateway.url], {
      cwd: dir,
    });
    expect(stderr).toContain('[info] summing {"count":3}');
    expect(stderr.match(/summing/g)).toHaveLength(1);
    expect(stderr).toMatch(/✔ completed in \d+ ms · 0 tool calls\n$/);
    expect({ code, stderr }).toMatchObject({ code: ExitCode.OK });
    expect(JSON.parse(stdout)).toEqual({ total: 6 });
  });

  test('a failing execution: exit 1 with the status, the error and its line', async () => {
    const { dir, gateway } = await runningGateway();
    writeFileSync(join(dir, 'fail.ts'), 'const a = 1;\nthrow new Error("boom at line two");\n');
    const { code, stdout, stderr } = await runCli(['exec', 'fail.ts', '--server', gateway.url], { cwd: dir });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.EXECUTION_FAILED });
    expect(stdout).toBe('');
    expect(stderr).toMatch(/✖ failed: \w+: .*boom at line two \(line 2\)/);
  });

  test('atp.llm without a configured LLM fails clearly', async () => {
    const { dir, gateway } = await runningGateway();
    const { code, stderr } = await runCli(['exec', '-', '--server', gateway.url], {
      cwd: dir,
      stdin: 'return await atp.llm.call("hello?");',
    });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.EXECUTION_FAILED });
    expect(stderr).toContain('no LLM configured');
  });

  test('atp.llm answered by an OpenAI-compatible endpoint from the environment', async () => {
    const llm = await startFakeLLM();
    servers.push(llm);
    const { dir, gateway } = await runningGateway();
    const { code, stdout, stderr } = await runCli(['exec', '-', '--server', gateway.url, '--json'], {
      cwd: dir,
      stdin: 'const [a, b] = await Promise.all([atp.llm.call("one"), atp.llm.call("two")]); return [a, b];',
      env: childEnv({
        ATP_LLM_BASE_URL: `${llm.url}/v1`,
        ATP_LLM_MODEL: 'test-model',
        ATP_LLM_API_KEY: 'sk-test',
      }),
    });
    expect(stderr).not.toContain('no LLM configured');
    expect({ code, stderr }).toMatchObject({ code: ExitCode.OK });
    const result = JSON.parse(stdout) as { status: string; result: unknown };
    expect(result.status).toBe('completed');
    expect(result.result).toEqual(['echo: one', 'echo: two']);
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(JSON.parse(llm.requests[0]?.body ?? '{}')).toMatchObject({ model: 'test-model' });
  });

  test('without --server: an in-process gateway from the config answers api calls (code from stdin)', async () => {
    const backend = await startBookshelfBackend();
    servers.push(backend);
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'bookshelf.yaml'), join(dir, 'bookshelf.yaml'));
    copyFileSync(join(FIXTURES, 'common.yaml'), join(dir, 'common.yaml'));
    writeFileSync(
      join(dir, 'atp.config.json'),
      JSON.stringify({
        openapi: [{ name: 'shelf', path: './bookshelf.yaml', baseUrl: `${backend.url}/v1`, retry: false }],
      }),
    );
    const { code, stdout, stderr } = await runCli(['exec', '-'], {
      cwd: dir,
      stdin: 'const books = await api.shelf.books.listBooks({}); return books.map((b) => b.title);',
    });
    expect(stderr).not.toContain('No JWT secret configured');
    expect({ code, stderr }).toMatchObject({ code: ExitCode.OK });
    expect(JSON.parse(stdout)).toEqual(['Dune']);
    expect(backend.requests.map((request) => request.url)).toEqual(['/v1/books']);
  });

  test('an unreachable server: exit 5 naming it; a missing file: exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.ts'), 'return 1;');
    const unreachable = await runCli(['exec', 'a.ts', '--server', 'http://127.0.0.1:9'], { cwd: dir });
    expect(unreachable).toMatchObject({ code: ExitCode.SERVER });
    expect(unreachable.stderr).toContain('ATP server at http://127.0.0.1:9');
    const missing = await runCli(['exec', 'missing.ts', '--server', 'http://127.0.0.1:9'], { cwd: dir });
    expect(missing).toMatchObject({ code: ExitCode.USAGE });
    expect(missing.stderr).toMatch(/Cannot read \S*missing\.ts: the file does not exist/);
  });

  test('a gateway with API-key auth from the config: refused without the key, served with --api-key', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'atp.config.yaml'),
      'auth:\n  apiKeys:\n    - { key: "${TEAM_KEY}", userId: team }\n',
    );
    const env = childEnv({ TEAM_KEY: 'team-key-0123456789abcdef' });
    const gateway = await startServe([], { cwd: dir, env });
    writeFileSync(join(dir, 'one.ts'), 'return 1;');
    const refused = await runCli(['exec', 'one.ts', '--server', gateway.url], { cwd: dir, env });
    expect(refused).toMatchObject({ code: ExitCode.SERVER });
    expect(refused.stderr).toMatch(/ATP server at http:\/\/\S+: .*(401|key|Unauthorized|UNAUTHORIZED)/i);
    const served = await runCli(
      ['exec', 'one.ts', '--server', gateway.url, '--api-key', 'team-key-0123456789abcdef'],
      {
        cwd: dir,
        env,
      },
    );
    expect(served).toMatchObject({ code: ExitCode.OK, stdout: '1\n' });
  });
});
