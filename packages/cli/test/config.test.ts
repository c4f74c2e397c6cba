// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCommandLine } from '../src/command-line';
import { interpolateEnv } from '../src/env-interpolation';
import { CLIError } from '../src/errors';
import { ExitCode } from '../src/exit-codes';
import { applyFlags } from '../src/flags';
import { llmConfigFrom } from '../src/llm';
import { loadConfig, parseConfig } from '../src/load-config';
import { logFormatOf } from '../src/logger';
import { buildPolicies } from '../src/policies';
import { hasNoNodeSnapshot } from '../src/reexec';

function errorOf(fn: () => unknown): CLIError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CLIError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('environment interpolation', () => {
  test('${VAR}, ${VAR:-default}, $${literal} and missing variables named with their field path', () => {
    const { value, issues } = interpolateEnv(
      {
        a: 'Bearer ${TOKEN}',
        b: ['${MISSING:-fallback}', '$${NOT_A_VAR}'],
        c: { deep: [{ token: '${ABSENT}' }] },
        n: 3,
        empty: '${EMPTY:-was empty}',
      },
      { TOKEN: 't0k', EMPTY: '' },
    );
    expect(value).toEqual({
      a: 'Bearer t0k',
      b: ['fallback', '${NOT_A_VAR}'],
      c: { deep: [{ token: '' }] },
      n: 3,
      empty: 'was empty',
    });
    expect(issues).toEqual([
      { path: 'c.deep[0].token', message: expect.stringContaining('environment variable ABSENT is not set') },
    ]);
  });

  test('numbers and booleans interpolated from the environment are accepted', () => {
    const config = parseConfig(
      {
        server: { port: '${PORT}', otel: { enabled: '${OTEL:-false}' } },
        audit: { dir: 'x', rotateDaily: 'true' },
      },
      { env: { PORT: '4444' }, baseDir: '/srv' },
    );
    expect(config.server.port).toBe(4444);
    expect(config.server.otel).toEqual({ enabled: false });
    expect(config.audit).toEqual({ dir: '/srv/x', rotateDaily: true });
  });
});

describe('config validation', () => {
  test('defaults, short forms, and relative paths resolved against the config file', () => {
    const config = parseConfig(
      {
        openapi: [{ name: 'pets', path: 'specs/pets.yaml' }],
        mcp: [
          { name: 'files', command: 'npx', cwd: './data' },
          { name: 'remote', url: 'https://mcp.example.com/mcp' },
        ],
        redis: 'redis://127.0.0.1:6379',
        rules: 'rules.yaml',
        provenance: {
          mode: 'proxy',
          policies: ['preventDataExfiltration', { name: 'requireUserOrigin', tools: ['x'] }],
        },
      },
      { env: {}, baseDir: '/etc/atp' },
    );
    expect(config.server).toMatchObject({
      port: 3333,
      host: '127.0.0.1',
      mcpPath: '/mcp',
      mcpAnonymous: false,
    });
    expect(config.openapi[0]?.path).toBe('/etc/atp/specs/pets.yaml');
    expect(config.mcp[0]).toEqual({ name: 'files', command: 'npx', args: [], cwd: '/etc/atp/data' });
    expect(config.mcp[1]).toEqual({ name: 'remote', url: 'https://mcp.example.com/mcp' });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379' });
    expect(config.rules).toBe('/etc/atp/rules.yaml');
    expect(config.provenance?.policies).toEqual([
      { name: 'preventDataExfiltration' },
      { name: 'requireUserOrigin', tools: ['x'] },
    ]);
  });

  test('/mcp is authenticated unless server.mcpAnonymous or --mcp-anonymous; redirect origins are URLs', () => {
    const env = { ATP_MCP_OPEN: 'true' };
    const config = parseConfig(
      {
        server: { mcpAnonymous: '${ATP_MCP_OPEN}' },
        openapi: [{ name: 'a', path: 'a.yaml', allowedRedirectOrigins: ['https://cdn.example.com'] }],
      },
      { env },
    );
    expect(config.server.mcpAnonymous).toBe(true);
    expect(config.openapi[0]?.allowedRedirectOrigins).toEqual(['https://cdn.example.com']);
    const flagged = applyFlags(parseConfig({}, { env: {} }), { mcpAnonymous: true });
    expect(flagged.server.mcpAnonymous).toBe(true);
    const bad = errorOf(() =>
      parseConfig(
        { openapi: [{ name: 'a', path: 'a.yaml', allowedRedirectOrigins: ['ftp://x'] }] },
        { env: {} },
      ),
    );
    expect(bad.message).toContain('openapi[0].allowedRedirectOrigins[0]');
  });

  test('provenance policies are built-in names, bare or with options; others are refused by name', () => {
    const error = errorOf(() => parseConfig({ provenance: { policies: ['preventExfil'] } }, { env: {} }));
    expect(error.message).toContain('provenance.policies[0]');
    expect(error.message).toContain(
      'must be a built-in policy: preventDataExfiltration, requireUserOrigin, blockLLMRecipients',
    );
    const policies = buildPolicies([
      { name: 'preventDataExfiltration' },
      { name: 'blockLLMRecipients', params: ['to'] },
    ]);
    expect(policies.map((policy) => (policy as { name: string }).name)).toEqual([
      'preventDataExfiltration',
      'blockLLMRecipients',
    ]);
  });

  test('errors name each field with its path and exit with the config code', () => {
    const error = errorOf(() =>
      parseConfig(
        {
          server: { port: -1, sever: 1 },
          openapi: [
            { name: 'ok', url: 'https://x/spec.json' },
            { name: 'bad-name', path: 'a', url: 'b' },
          ],
          mcp: [{ name: 'm', url: 'ftp://nope' }, 'npx server'],
          auth: { apiKeys: ['short'] },
          llm: { baseUrl: 'not a url', model: 'm' },
        },
        { env: {} },
      ),
    );
    expect(error.exitCode).toBe(ExitCode.CONFIG);
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'server.sever',
        'server.port',
        'openapi[1].name',
        'openapi[1].path',
        'mcp[0].url',
        'mcp[1]',
        'auth.apiKeys[0]',
        'llm.baseUrl',
      ]),
    );
    expect(error.message).toContain('openapi[1].path: give exactly one of path or url');
    expect(error.message).toContain('mcp[0].url: must be an http(s) URL');
  });

  test('server sections are checked against the installed server: unknown fields named, env numbers converted', () => {
    const config = parseConfig(
      { server: { execution: { timeout: '${TIMEOUT}', memory: 67108864 }, http: { bodyLimit: 2048 } } },
      { env: { TIMEOUT: '15000' } },
    );
    expect(config.server.execution).toEqual({ timeout: 15000, memory: 67108864 });
    expect(config.server.http).toEqual({ bodyLimit: 2048 });
    const error = errorOf(() =>
      parseConfig(
        {
          server: {
            execution: { timout: 1, hooks: {}, rules: 'x.yaml' },
            clientInit: { tokenTTL: 0 },
            audit: { enabled: true },
            nonsense: {},
          },
        },
        { env: {} },
      ),
    );
    expect(error.message).toContain('server.execution.timout: unknown setting; known: timeout, memory');
    expect(error.message).toContain('server.execution.hooks: hooks are functions: use createServer');
    expect(error.message).toContain('server.execution.rules: use the top-level `rules`');
    expect(error.message).toContain('server.audit: use the top-level `audit` section');
    expect(error.message).toMatch(/server\.nonsense: unknown setting; known: port, host, .*execution/);
    const range = errorOf(() => parseConfig({ server: { clientInit: { tokenTTL: 0 } } }, { env: {} }));
    expect(range.message).toMatch(/server\.clientInit\.tokenTTL: Too small/);
  });

  test('server.catalog: output checks and the pagination cap, checked by the server schema', () => {
    const config = parseConfig(
      { server: { catalog: { validateOutputs: 'warn', pagination: { defaultMaxItems: '${CAP}' } } } },
      { env: { CAP: '250' } },
    );
    expect(config.server.catalog).toEqual({ validateOutputs: 'warn', pagination: { defaultMaxItems: 250 } });
    const error = errorOf(() =>
      parseConfig(
        {
          server: { catalog: { validateOutputs: 'always', pagination: { defaultMaxItems: 0 }, maxItems: 1 } },
        },
        { env: {} },
      ),
    );
    expect(error.message).toContain(
      'server.catalog.maxItems: unknown setting; known: validateOutputs, pagination',
    );
    const values = errorOf(() =>
      parseConfig(
        { server: { catalog: { validateOutputs: 'always', pagination: { defaultMaxItems: 0 } } } },
        { env: {} },
      ),
    );
    expect(values.message).toMatch(/server\.catalog\.validateOutputs: Invalid option/);
    expect(values.message).toMatch(/server\.catalog\.pagination\.defaultMaxItems: Too small/);
  });

  test('loadConfig reads JSON and YAML files and reports parse errors with the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atp-config-'));
    try {
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ server: { port: 1 } }));
      expect((await loadConfig(join(dir, 'a.json'), { env: {} })).config.server.port).toBe(1);
      writeFileSync(join(dir, 'b.yaml'), 'server:\n  port: [unclosed\n');
      await expect(loadConfig(join(dir, 'b.yaml'), { env: {} })).rejects.toThrow(
        /Cannot parse config file .*b\.yaml/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('flags', () => {
  test('--openapi and --mcp are appended; --port, --redis, --rules and --audit replace', () => {
    const base = parseConfig({ openapi: [{ name: 'a', url: 'https://a/spec.json' }] }, { env: {} });
    const config = applyFlags(
      base,
      {
        port: '0',
        openapi: ['b=./b.yaml', 'c=https://c.example.com/openapi.json'],
        mcp: [
          'fs=npx -y \'@modelcontextprotocol/server-filesystem\' "/a dir"',
          'remote=https://mcp.example.com/mcp',
        ],
        redis: 'redis://r:6379',
        rules: 'rules.yaml',
        audit: 'logs',
      },
      '/work',
    );
    expect(config.server.port).toBe(0);
    expect(config.openapi.map((entry) => [entry.name, entry.path ?? entry.url])).toEqual([
      ['a', 'https://a/spec.json'],
      ['b', '/work/b.yaml'],
      ['c', 'https://c.example.com/openapi.json'],
    ]);
    expect(config.mcp).toEqual([
      { name: 'fs', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/a dir'] },
      { name: 'remote', url: 'https://mcp.example.com/mcp' },
    ]);
    expect(config.redis).toEqual({ url: 'redis://r:6379' });
    expect(config.rules).toBe('/work/rules.yaml');
    expect(config.audit).toEqual({ dir: '/work/logs' });
  });

  test('--graphql takes an endpoint URL, a schema file, or file,url; names are unique across kinds', () => {
    const base = parseConfig(
      {
        graphql: [
          { name: 'shop', url: 'https://shop.example.com/graphql', auth: { scheme: 'bearer', envVar: 'T' } },
        ],
      },
      { env: {} },
    );
    const config = applyFlags(
      base,
      {
        graphql: [
          'github=./github.graphql,https://api.github.com/graphql',
          'local=http://127.0.0.1:4000/graphql',
          'offline=schemas/intro.json',
        ],
      },
      '/srv/atp',
    );
    expect(config.graphql).toEqual([
      { name: 'shop', url: 'https://shop.example.com/graphql', auth: { scheme: 'bearer', envVar: 'T' } },
      { name: 'github', path: '/srv/atp/github.graphql', url: 'https://api.github.com/graphql' },
      { name: 'local', url: 'http://127.0.0.1:4000/graphql' },
      { name: 'offline', path: '/srv/atp/schemas/intro.json' },
    ]);
    // A flag named like a config entry replaces it (the flag wins) and says so.
    const notices: string[] = [];
    const replaced = applyFlags(base, { graphql: ['shop=https://other/graphql'] }, '/srv', (text) =>
      notices.push(text),
    );
    expect(replaced.graphql).toEqual([{ name: 'shop', url: 'https://other/graphql' }]);
    expect(notices).toEqual(['--graphql shop=… replaces graphql[0] "shop" of the config file']);
    // Two flags with one name are still an error.
    expect(
      errorOf(() => applyFlags(base, { graphql: ['x=https://a/graphql'], openapi: ['x=./x.yaml'] })).message,
    ).toContain('graphql[1].name: "x" is already used by openapi[0]');
    expect(errorOf(() => applyFlags(base, { graphql: ['my-api=https://x/graphql'] })).message).toMatch(
      /Invalid --graphql "my-api=https:\/\/x\/graphql": name: must be a JavaScript identifier/,
    );
    expect(errorOf(() => applyFlags(base, { graphql: ['shop'] })).message).toContain(
      '--graphql expects name=value',
    );
  });

  test('graphql entries: paths resolved against the config file, fields validated by name', () => {
    const config = parseConfig(
      {
        graphql: [
          {
            name: 'gh',
            path: 'schemas/github.graphql',
            url: 'https://api.github.com/graphql',
            queryDepthLimit: '2',
          },
        ],
      },
      { env: {}, baseDir: '/etc/atp' },
    );
    expect(config.graphql[0]).toEqual({
      name: 'gh',
      path: '/etc/atp/schemas/github.graphql',
      url: 'https://api.github.com/graphql',
      queryDepthLimit: 2,
    });
    const error = errorOf(() =>
      parseConfig(
        {
          graphql: [
            { name: 'a' },
            { name: 'b', url: 'ftp://x' },
            { name: 'c', url: 'https://x/graphql', auth: { scheme: 'apiKey', value: 'k' } },
          ],
        },
        { env: {} },
      ),
    );
    expect(error.exitCode).toBe(ExitCode.CONFIG);
    expect(error.message).toContain(
      'graphql[0].url: give url (the endpoint, introspected) and/or path (a schema file)',
    );
    expect(error.message).toContain('graphql[1].url: must be an http(s) URL');
    expect(error.issues.map((issue) => issue.path)).toContain('graphql[2].auth.name');
  });

  test('command lines split like a shell for quotes and escapes', () => {
    expect(splitCommandLine(`node  'a b' "c \\"d\\"" e\\ f ''`)).toEqual(['node', 'a b', 'c "d"', 'e f', '']);
    expect(() => splitCommandLine('node "unclosed')).toThrow(/Unclosed " quote/);
    const error = errorOf(() => applyFlags(parseConfig({}, { env: {} }), { port: 'eighty' }));
    expect(error.exitCode).toBe(ExitCode.USAGE);
  });
});

describe('small pieces', () => {
  test('--no-node-snapshot is detected in execArgv or NODE_OPTIONS', () => {
    expect(hasNoNodeSnapshot(['--no-node-snapshot'], '')).toBe(true);
    expect(hasNoNodeSnapshot([], '--max-old-space-size=100 --no-node-snapshot')).toBe(true);
    expect(hasNoNodeSnapshot(['--inspect'], '--no-warnings')).toBe(false);
  });

  test('LLM settings come from the config, else from ATP_LLM_* / OPENAI_API_KEY, else none', () => {
    expect(llmConfigFrom({ baseUrl: 'http://x/v1', model: 'm' }, { OPENAI_API_KEY: 'k' })).toEqual({
      baseUrl: 'http://x/v1',
      model: 'm',
    });
    expect(llmConfigFrom(undefined, { OPENAI_API_KEY: 'sk' })).toEqual({
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      apiKey: 'sk',
    });
    expect(llmConfigFrom(undefined, { ATP_LLM_BASE_URL: 'http://local/v1', ATP_LLM_MODEL: 'llama' })).toEqual(
      {
        baseUrl: 'http://local/v1',
        model: 'llama',
      },
    );
    expect(llmConfigFrom(undefined, {})).toBeUndefined();
  });

  test('logs: ATP_LOG_FORMAT wins, else pretty on a terminal and JSON otherwise', () => {
    expect(logFormatOf({}, true)).toBe('pretty');
    expect(logFormatOf({}, false)).toBe('json');
    expect(logFormatOf({ ATP_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatOf({ ATP_LOG_FORMAT: 'Pretty' }, false)).toBe('pretty');
    expect(logFormatOf({ ATP_LOG_FORMAT: 'xml' }, false)).toBe('json');
  });
});
