// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import Redis from 'ioredis';
import {
  childEnv,
  cleanupChildren,
  EVERYTHING_WRAPPER,
  FIXTURES,
  isAlive,
  killPid,
  readPid,
  startServe,
  tempDir,
  waitForExit,
} from './support/cli-process';
import { startBookshelfBackend, startGraphQLBackend, type TestHttpServer } from './support/http-servers';

let mcpPid: number | undefined;
let redisProcess: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
let backend: TestHttpServer | undefined;

afterEach(async () => {
  killPid(redisProcess?.pid);
  redisProcess = undefined;
  killPid(mcpPid);
  mcpPid = undefined;
  await cleanupChildren();
  await backend?.close();
  backend = undefined;
});

function copyBookshelf(dir: string): void {
  copyFileSync(join(FIXTURES, 'bookshelf.yaml'), join(dir, 'bookshelf.yaml'));
  copyFileSync(join(FIXTURES, 'common.yaml'), join(dir, 'common.yaml'));
}

describe('atp serve', () => {
  test('--openapi and --mcp flags: one gateway the ATP client can search and run code against; SIGTERM stops it and its MCP server', async () => {
    const dir = tempDir();
    copyBookshelf(dir);
    const pidFile = join(dir, 'everything.pid');
    const gateway = await startServe(
      [
        '--openapi',
        'shelf=./bookshelf.yaml',
        '--mcp',
        `everything=${process.execPath} ${EVERYTHING_WRAPPER} ${pidFile}`,
      ],
      { cwd: dir },
    );
    mcpPid = readPid(pidFile);
    expect(isAlive(mcpPid)).toBe(true);

    const summary = gateway.stdout();
    expect(summary).toMatch(/2 API groups, \d+ functions:/);
    expect(summary).toMatch(/shelf\s+openapi\s+13\s+.*bookshelf\.yaml/);
    expect(summary).toMatch(/everything\s+mcp\s+\d+\s+/);
    expect(summary).toContain(`MCP       ${gateway.url}/mcp`);
    expect(gateway.stderr()).toMatch(/✔ OpenAPI "shelf": 13 functions/);
    expect(gateway.stderr()).toMatch(/✔ MCP "everything": \d+ tools/);

    const client = new AgentToolProtocolClient({ baseUrl: gateway.url });
    await client.init({ name: 'cli-test' });
    const hits = await client.searchAPI('list books');
    expect(hits.map((hit) => `${hit.apiGroup}.${hit.functionName}`)).toContain('shelf.books.listBooks');
    const definitions = await client.getTypeDefinitions({ apiGroups: ['everything'] });
    expect(definitions).toContain('echo');
    const result = await client.execute(
      'const echoed = await api.everything.echo({ message: "through the gateway" }); return { echoed };',
    );
    expect(result.status).toBe('completed');
    expect(result.result).toEqual({ echoed: 'Echo: through the gateway' });

    gateway.child.kill('SIGTERM');
    const { code } = await gateway.exited;
    expect(code).toBe(0);
    expect(gateway.stderr()).toContain('SIGTERM: stopping the gateway and its MCP servers');
    expect(await waitForExit(mcpPid)).toBe(true);
  });

  test('a YAML config with ${VAR} / ${VAR:-default} interpolation: secrets reach the API, defaults apply', async () => {
    backend = await startBookshelfBackend();
    const dir = tempDir();
    copyBookshelf(dir);
    writeFileSync(
      join(dir, 'atp.config.yaml'),
      [
        'server:',
        '  port: ${ATP_TEST_PORT:-0}',
        '  jwtSecret: ${ATP_TEST_JWT}',
        '  execution: { timeout: 20000 }',
        'openapi:',
        '  - name: shelf',
        '    path: ./bookshelf.yaml',
        '    baseUrl: ${BOOKS_URL}/v1',
        '    retry: false',
        '    auth: { scheme: bearer, token: "${BOOKS_TOKEN}" }',
        '    include: { tags: [books] }',
        'audit: ./audit-logs',
        'provenance:',
        '  mode: proxy',
        '  policies: [preventDataExfiltration, { name: requireUserOrigin, params: [to] }]',
        'oauth:',
        '  encryptionKey: ${OAUTH_KEY}',
        '  redirectUri: http://127.0.0.1:1/oauth/callback',
        '  providers:',
        '    - { type: github, clientId: gh-client-id, clientSecret: "${GH_SECRET}", scopes: [repo] }',
        '',
      ].join('\n'),
    );
    const env = childEnv({
      BOOKS_URL: backend.url,
      BOOKS_TOKEN: 'bks_secret_from_env_123',
      ATP_TEST_JWT: 'a-jwt-secret-of-enough-length',
      OAUTH_KEY: 'an-encryption-key-of-at-least-32-characters',
      GH_SECRET: 'gh-secret',
    });
    const gateway = await startServe([], { cwd: dir, env });
    expect(gateway.stdout()).toContain('config: ');
    expect(gateway.stdout()).toMatch(/shelf\s+openapi\s+\d+/);

    const client = new AgentToolProtocolClient({ baseUrl: gateway.url });
    await client.init();
    const result = await client.execute('return await api.shelf.books.listBooks({ tag: ["sf"] });');
    expect(result.status).toBe('completed');
    expect(result.result).toEqual([{ id: 1, title: 'Dune', authorId: 7, tags: ['sf'] }]);
    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0]?.url).toBe('/v1/books?tag=sf');
    expect(backend.requests[0]?.headers.authorization).toBe('Bearer bks_secret_from_env_123');
    expect(gateway.stdout()).not.toContain('warning:');
    expect((await client.getServerInfo()).capabilities.provenance).toBe(true);

    // OAuth providers from the config are wired: an authenticated client gets GitHub's consent URL.
    const init = (await (
      await fetch(`${gateway.url}/api/init`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { clientId: string; token: string };
    const authorize = await fetch(`${gateway.url}/oauth/github/authorize?format=json`, {
      headers: { authorization: `Bearer ${init.token}`, 'x-client-id': init.clientId },
    });
    expect(authorize.status).toBe(200);
    const { authorizeUrl } = (await authorize.json()) as { authorizeUrl: string };
    expect(authorizeUrl).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?/);
    expect(new URL(authorizeUrl).searchParams.get('client_id')).toBe('gh-client-id');

    gateway.child.kill('SIGINT');
    expect((await gateway.exited).code).toBe(0);
    const audit = readFileSync(join(dir, 'audit-logs', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"type":"tool_call"');
    expect(audit).not.toContain('bks_secret_from_env_123');
  });

  test('GraphQL from the config file (with auth from the environment) and from --graphql', async () => {
    backend = await startGraphQLBackend();
    const dir = tempDir();
    writeFileSync(
      join(dir, 'atp.config.yaml'),
      [
        'server:',
        '  port: 0',
        'graphql:',
        '  - name: greeter',
        '    url: ${GREETER_URL}',
        '    auth: { scheme: bearer, envVar: GREETER_TOKEN }',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'greeter.graphql'), 'type Query { greeting(name: String!): String! }');
    const env = childEnv({ GREETER_URL: backend.url, GREETER_TOKEN: 'greeter_secret_token_42' });
    const gateway = await startServe(
      ['--graphql', `offline=./greeter.graphql,${backend.url}`, '--graphql', 'typesOnly=./greeter.graphql'],
      { cwd: dir, env },
    );
    expect(gateway.stdout()).toContain(
      'warning: graphql "typesOnly": no url, so its functions cannot be called; add the endpoint (url, or --graphql typesOnly=<file>,<url>)',
    );
    expect(gateway.stdout()).toMatch(/greeter\s+graphql\s+3\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(gateway.stdout()).toMatch(/offline\s+graphql\s+1\s+.*greeter\.graphql/);
    expect(gateway.stderr()).toMatch(/✔ GraphQL "greeter": 3 functions/);
    expect(backend.requests[0]?.body).toContain('__schema');
    expect(backend.requests[0]?.headers.authorization).toBe('Bearer greeter_secret_token_42');

    const client = new AgentToolProtocolClient({ baseUrl: gateway.url });
    await client.init();
    const result = await client.execute(`
      const before = await api.greeter.query_greeting({ name: 'Ada' });
      const offline = await api.offline.query_greeting({ name: 'Grace' });
      const whoami = await api.greeter.query_whoami();
      return { before, offline, whoami };
    `);
    expect(result).toMatchObject({
      status: 'completed',
      result: { before: 'Hello, Ada!', offline: 'Hello, Grace!', whoami: 'Bearer [REDACTED]' },
    });
    const mutation = await client.execute(`
      await api.greeter.mutation_setGreeting({ template: 'Hi NAME' });
      return await api.greeter.query_greeting({ name: 'Ada' });
    `);
    expect(mutation).toMatchObject({ status: 'completed', result: 'Hi Ada' });
    gateway.child.kill('SIGINT');
    expect((await gateway.exited).code).toBe(0);
  });

  test('if the atp launcher is killed outright, the gateway notices and stops its MCP servers (no orphans)', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'everything.pid');
    const gateway = await startServe(
      ['--mcp', `everything=${process.execPath} ${EVERYTHING_WRAPPER} ${pidFile}`],
      {
        cwd: dir,
      },
    );
    mcpPid = readPid(pidFile);
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    expect(await waitForExit(mcpPid)).toBe(true);
  });

  test('--redis, --rules and --audit flags: sessions land in Redis, rules are enforced, the audit log is written', async () => {
    const dir = tempDir();
    copyBookshelf(dir);
    const port = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    redisProcess = redis;
    writeFileSync(join(dir, 'rules.yaml'), 'deny: ["shelf.**"]\nguidance: The shelf is closed today.\n');
    const gateway = await startServe(
      [
        '--openapi',
        'shelf=./bookshelf.yaml',
        '--redis',
        `redis://127.0.0.1:${port}`,
        '--rules',
        'rules.yaml',
        '--audit',
        'audit',
      ],
      { cwd: dir },
    );
    expect(gateway.stdout()).not.toContain('warning:');
    const client = new AgentToolProtocolClient({ baseUrl: gateway.url });
    await client.init();
    expect((await client.execute('return 6 * 7')).result).toBe(42);
    const blocked = await client.execute('return await api.shelf.books.listBooks({})');
    expect(blocked.status).toBe('security_violation');
    expect(blocked.error?.message).toContain('api.shelf.books.listBooks');

    const inspector = new Redis(port, '127.0.0.1');
    try {
      const keys = await inspector.keys('*');
      expect(keys.some((key) => key.includes(client.clientId as string))).toBe(true);
    } finally {
      inspector.disconnect();
    }
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    const audit = readFileSync(join(dir, 'audit', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"type":"client_init"');
    expect(audit).toContain('"type":"policy_violation"');
  });

  test('--inspector (and inspector: true in the config) serves the inspector page', async () => {
    const dir = tempDir();
    copyBookshelf(dir);
    const withFlag = await startServe(['--openapi', 'shelf=./bookshelf.yaml', '--inspector'], { cwd: dir });
    expect(withFlag.stdout()).toContain(`Inspector ${withFlag.url}/inspector/`);
    const page = await fetch(`${withFlag.url}/inspector/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>ATP Inspector');
    withFlag.child.kill('SIGTERM');
    await withFlag.exited;

    writeFileSync(
      join(dir, 'atp.config.yaml'),
      'inspector: true\nopenapi: [{ name: shelf, path: ./bookshelf.yaml }]\n',
    );
    const fromConfig = await startServe([], { cwd: dir });
    expect((await fetch(`${fromConfig.url}/inspector/`)).status).toBe(200);
    fromConfig.child.kill('SIGTERM');
    await fromConfig.exited;

    const other = tempDir();
    copyBookshelf(other);
    const without = await startServe(['--openapi', 'shelf=./bookshelf.yaml'], { cwd: other });
    expect(without.stdout()).not.toContain('Inspector');
    expect((await fetch(`${without.url}/inspector/`)).status).not.toBe(200);
  });

  test('an npm MCP server from a config runs in the config file\'s directory: "." is that directory', async () => {
    const dir = tempDir();
    const server = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
    writeFileSync(
      join(dir, 'atp.config.yaml'),
      `mcp:\n  - name: files\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(server)}, "."]\n`,
    );
    writeFileSync(join(dir, 'notes.txt'), 'hello from the config directory\n');
    const gateway = await startServe(['--config', join(dir, 'atp.config.yaml')], { cwd: tempDir() });
    const client = new AgentToolProtocolClient({ baseUrl: gateway.url });
    await client.init();
    const result = await client.execute(
      'return { dirs: await api.files.list_allowed_directories({}), text: await api.files.read_text_file({ path: "notes.txt" }) };',
    );
    expect(result.status).toBe('completed');
    expect(JSON.stringify(result.result)).toContain(realpathSync(dir));
    expect(JSON.stringify(result.result)).toContain('hello from the config directory');
  });

  test('--help prints the options and exits 0', async () => {
    const { runCli } = await import('./support/cli-process');
    const { code, stdout } = await runCli(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--openapi <name=spec>');
  });
});
