// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { ExitCode } from '../src/exit-codes';
import { childEnv, cleanupChildren, runCli, tempDir } from './support/cli-process';

let blocker: Server | undefined;

afterEach(async () => {
  await cleanupChildren();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

describe('errors a person can act on', () => {
  test('a missing spec file: exit 4, the group and the path named', async () => {
    const { code, stderr } = await runCli([
      'serve',
      '--port',
      '0',
      '--openapi',
      'petstore=./nope/petstore.yaml',
    ]);
    expect({ code, stderr }).toMatchObject({ code: ExitCode.STARTUP });
    expect(stderr).toMatch(
      /openapi "petstore": Cannot read OpenAPI spec file \S*nope\/petstore\.yaml: ENOENT/,
    );
  });

  test('an MCP command that exits: exit 4, the server named, no gateway left running', async () => {
    const { code, stderr } = await runCli([
      'serve',
      '--port',
      '0',
      '--mcp',
      `broken=${process.execPath} -e "process.exit(3)"`,
    ]);
    expect({ code, stderr }).toMatchObject({ code: ExitCode.STARTUP });
    expect(stderr).toContain('mcp "broken": Could not connect to MCP server "broken"');
    expect(stderr).not.toContain('ATP gateway listening');
  });

  test('an MCP server from a config that fails at start: its stderr is in the error; relative args are resolved from the config file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'servers'));
    writeFileSync(
      join(dir, 'servers', 'fails.mjs'),
      'process.stderr.write("Error: TICKETS_TOKEN is not set\\n"); process.exit(1);\n',
    );
    writeFileSync(
      join(dir, 'atp.config.yaml'),
      `mcp:\n  - name: tickets\n    command: ${JSON.stringify(process.execPath)}\n    args: [./servers/fails.mjs]\n`,
    );
    // Started from another directory: ./servers/fails.mjs must still be found next to the config.
    const { code, stderr } = await runCli(
      ['serve', '--port', '0', '--config', join(dir, 'atp.config.yaml')],
      {
        cwd: tempDir(),
      },
    );
    expect({ code, stderr }).toMatchObject({ code: ExitCode.STARTUP });
    expect(stderr).toContain('mcp "tickets": Could not connect to MCP server "tickets"');
    expect(stderr).toContain('the process exited with code 1');
    expect(stderr).toContain('Error: TICKETS_TOKEN is not set');
    expect(stderr).not.toContain('Cannot find module');
  });

  test('an invalid config field: exit 3 and every bad field named with its path', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'atp.config.yaml'),
      [
        'server:',
        '  port: 99999',
        'openapi:',
        '  - name: first',
        '    path: ./a.yaml',
        '  - name: second',
        '    path: ./b.yaml',
        '    auth: { scheme: bearer, token: 42 }',
        'mcp:',
        '  - name: files',
        '    command: npx',
        '    argz: [oops]',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await runCli(['serve'], { cwd: dir });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.CONFIG });
    expect(stderr).toContain('atp.config.yaml');
    expect(stderr).toMatch(/server\.port: .*65535/);
    expect(stderr).toMatch(/openapi\[1\]\.auth\.token: .*expected string/);
    expect(stderr).toMatch(/mcp\[0\]: .*"argz"/);
  });

  test('an unset environment variable without a default: exit 3, the variable and the field named', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'custom.yaml'),
      [
        'openapi:',
        '  - name: gh',
        '    url: https://example.invalid/spec.json',
        '    auth:',
        '      scheme: bearer',
        '      token: ${GH_TOKEN_FOR_TEST}',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await runCli(['serve', '--config', 'custom.yaml'], { cwd: dir });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.CONFIG });
    expect(stderr).toContain('openapi[0].auth.token: environment variable GH_TOKEN_FOR_TEST is not set');
  });

  test('production mode without a token secret: exit 3 naming the config field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'atp.config.yaml'), 'server:\n  mode: production\n');
    const { code, stderr } = await runCli(['serve'], { cwd: dir });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.CONFIG });
    expect(stderr).toContain('set server.jwtSecret or the ATP_JWT_SECRET environment variable');
  });

  test('a rules file with an invalid field: exit 3 naming the file and the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rules.yaml'), 'deny: 5\n');
    const { code, stderr } = await runCli(['serve', '--port', '0', '--rules', 'rules.yaml'], { cwd: dir });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.CONFIG });
    expect(stderr).toMatch(/Invalid rules file \S*rules\.yaml: rules\.deny: .*expected array/);
  });

  test('a missing config file: exit 3 and how to make one', async () => {
    const { code, stderr } = await runCli(['serve', '--config', 'missing.yaml']);
    expect({ code, stderr }).toMatchObject({ code: ExitCode.CONFIG });
    expect(stderr).toMatch(
      /Cannot read config file \S*missing\.yaml: the file does not exist\. Create one with `atp init`/,
    );
  });

  test('a port in use: exit 4 and "pick another with --port"', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await runCli(['serve', '--port', String(port)]);
    expect({ code, stderr }).toMatchObject({ code: ExitCode.STARTUP });
    expect(stderr).toContain(`port ${port} is in use; pick another with --port`);
  });

  test('usage errors: exit 2', async () => {
    const unknown = await runCli(['serv']);
    expect(unknown).toMatchObject({ code: ExitCode.USAGE });
    expect(unknown.stderr).toContain('unknown command "serv"');
    const badFlag = await runCli(['serve', '--openapi', 'no-equals-sign']);
    expect(badFlag).toMatchObject({ code: ExitCode.USAGE });
    expect(badFlag.stderr).toContain('--openapi expects name=value');
    const badName = await runCli(['serve', '--mcp', 'my-server=node x.js']);
    expect(badName).toMatchObject({ code: ExitCode.USAGE });
    expect(badName.stderr).toMatch(
      /Invalid --mcp "my-server=node x.js": name: must be a JavaScript identifier/,
    );
    const unknownOption = await runCli(['serve', '--prot', '1']);
    expect(unknownOption).toMatchObject({ code: ExitCode.USAGE });
    expect(unknownOption.stderr).toContain("Unknown option '--prot'");
  });

  test('duplicate group names among the flags (OpenAPI and MCP): exit 3 naming both', async () => {
    const { code, stderr } = await runCli(['serve', '--openapi', 'x=./a.yaml', '--mcp', 'x=node server.js'], {
      env: childEnv(),
    });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.CONFIG });
    expect(stderr).toContain('mcp[0].name: "x" is already used by openapi[0]');
  });
});
