import { Catalog } from '@agent-tool-protocol/catalog';
import type { APIGroup, FunctionCallContext, FunctionDef } from '@agent-tool-protocol/protocol';
import { ValidationError } from '@agent-tool-protocol/protocol';
import { REALISTIC_GROUPS } from './support/realistic-catalog';

const fn = (name: string, extra: Partial<FunctionDef> = {}): FunctionDef => ({
  name,
  handler: async () => name,
  ...extra,
});

function realisticCatalog(): Catalog {
  const catalog = new Catalog();
  for (const group of REALISTIC_GROUPS) catalog.addGroup(group);
  return catalog;
}

describe('Catalog registry', () => {
  it('lists groups sorted by name with their function counts', () => {
    expect(realisticCatalog().listGroups()).toEqual([
      { name: 'calendar', type: 'oauth', description: 'Google Calendar', functionCount: 4 },
      {
        name: 'crm',
        type: 'custom',
        description: 'Customer relationship management: contacts, companies and deals',
        functionCount: 9,
      },
      { name: 'filesystem', type: 'mcp', description: 'Local files (MCP server)', functionCount: 7 },
      { name: 'github', type: 'openapi', description: 'GitHub REST API', functionCount: 12 },
      { name: 'slack', type: 'oauth', description: 'Slack workspace messaging', functionCount: 6 },
      { name: 'stripe', type: 'openapi', description: 'Stripe payments API', functionCount: 6 },
      { name: 'weather', type: 'custom', description: 'Weather forecasts', functionCount: 3 },
    ]);
  });

  it('gets, replaces and removes groups', () => {
    const catalog = new Catalog();
    const first: APIGroup = { name: 'tools', type: 'custom', functions: [fn('a'), fn('b')] };
    catalog.addGroup(first);
    expect(catalog.getGroup('tools')).toBe(first);
    catalog.replaceGroup({ name: 'tools', type: 'mcp', functions: [fn('c')] });
    expect(catalog.resolve('tools.a')).toBeUndefined();
    expect(catalog.resolve('tools.c')).toBeDefined();
    expect(catalog.listGroups()).toEqual([{ name: 'tools', type: 'mcp', functionCount: 1 }]);
    expect(catalog.removeGroup('tools')).toBe(true);
    expect(catalog.removeGroup('tools')).toBe(false);
    expect(catalog.resolve('tools.c')).toBeUndefined();
    expect(catalog.getGroup('tools')).toBeUndefined();
  });

  it('replaceGroup adds a new group and keeps the old one when the new one is invalid', () => {
    const catalog = new Catalog();
    catalog.replaceGroup({ name: 'tools', type: 'custom', functions: [fn('a')] });
    expect(() =>
      catalog.replaceGroup({
        name: 'tools',
        type: 'custom',
        functions: [fn('b', { inputSchema: { type: 'strnig' } })],
      }),
    ).toThrow(ValidationError);
    expect(catalog.resolve('tools.a')).toBeDefined();
  });

  it('validates its options', () => {
    expect(() => new Catalog({ logger: { info: 'no' } as never })).toThrow(ValidationError);
    const messages: unknown[][] = [];
    const logger = { debug: (...args: unknown[]) => messages.push(args), info() {}, warn() {}, error() {} };
    const catalog = new Catalog({ logger });
    catalog.addGroup({ name: 'x', type: 'custom', functions: [fn('a')] });
    expect(messages.some((args) => String(args[1]).includes('added group x'))).toBe(true);
  });
});

describe('ApiDispatcher: resolve, call and suggest', () => {
  it('resolves full dotted paths in O(1) maps and calls the handler with the invocation context', async () => {
    const seen: Array<{ input: unknown; context: FunctionCallContext }> = [];
    const catalog = new Catalog();
    catalog.addGroup({
      name: 'github',
      type: 'openapi',
      functions: [
        fn('issues.create', {
          metadata: { operationType: 'write' },
          handler: async (input, context) => {
            seen.push({ input, context });
            return { id: 7 };
          },
        }),
      ],
    });
    const resolved = catalog.resolve('github.issues.create');
    expect(resolved).toMatchObject({ path: 'github.issues.create', group: 'github', name: 'issues.create' });
    expect(resolved?.metadata).toEqual({ operationType: 'write', originalName: 'issues.create' });
    const controller = new AbortController();
    await expect(
      resolved!.call({ title: 't' }, { clientId: 'c1', executionId: 'e1', signal: controller.signal }),
    ).resolves.toEqual({ id: 7 });
    expect(seen).toEqual([
      { input: { title: 't' }, context: { clientId: 'c1', executionId: 'e1', signal: controller.signal } },
    ]);
    expect(catalog.resolve('github.issues')).toBeUndefined();
    expect(catalog.resolve('github')).toBeUndefined();
    expect(catalog.resolve('issues.create')).toBeUndefined();
  });

  it('turns a synchronous throw in a handler into a rejected promise', async () => {
    const catalog = new Catalog();
    catalog.addGroup({
      name: 'g',
      type: 'custom',
      functions: [
        fn('boom', {
          handler: () => {
            throw new Error('boom');
          },
        }),
      ],
    });
    const call = catalog.resolve('g.boom')!.call({}, { clientId: 'c', executionId: 'e' });
    await expect(call).rejects.toThrow('boom');
  });

  it('suggests close matches for typos, other word orders and other spellings', () => {
    const catalog = realisticCatalog();
    expect(catalog.suggest('github.issues.craete')[0]).toBe('github.issues.create');
    expect(catalog.suggest('github.issue.create')[0]).toBe('github.issues.create');
    expect(catalog.suggest('filesystem.readFile')[0]).toBe('filesystem.read_file');
    expect(catalog.suggest('crm.createUser')).toContain('crm.users.create');
    expect(catalog.suggest('github.issues.craete', 2)).toHaveLength(2);
    expect(catalog.suggest('zzzzzzzzzzzzzzzz')).toEqual([]);
    // An unknown group: every group's functions are candidates.
    expect(catalog.suggest('githb.issues.create')[0]).toBe('github.issues.create');
  });

  it('returns a function with its group and one-line signature', () => {
    const found = realisticCatalog().getFunction('crm.users.create');
    expect(found?.group.name).toBe('crm');
    expect(found?.fn.name).toBe('users.create');
    expect(found?.path).toBe('crm.users.create');
    expect(found?.signature).toBe(
      'api.crm.users.create(input: { email: string; name?: string; role?: "admin" | "member" | "viewer" }): Promise<{ id: string; email: string }>',
    );
    expect(realisticCatalog().getFunction('filesystem.read-file')?.path).toBe('filesystem.read_file');
    expect(realisticCatalog().getFunction('nope.nothing')).toBeUndefined();
  });
});

describe('versions and caching', () => {
  it('changes the version on every mutation and notifies listeners until they unsubscribe', () => {
    const catalog = new Catalog();
    const seen: string[] = [];
    const unsubscribe = catalog.onChange((version) => seen.push(version));
    const versions = [catalog.version];
    catalog.addGroup({ name: 'a', type: 'custom', functions: [fn('x')] });
    versions.push(catalog.version);
    // Replacing with identical content still counts as a change (the handlers may differ).
    catalog.replaceGroup({ name: 'a', type: 'custom', functions: [fn('x')] });
    versions.push(catalog.version);
    catalog.removeGroup('a');
    versions.push(catalog.version);
    catalog.removeGroup('a');
    expect(new Set(versions).size).toBe(4);
    expect(seen).toEqual(versions.slice(1));
    unsubscribe();
    catalog.addGroup({ name: 'b', type: 'custom', functions: [fn('x')] });
    expect(seen).toHaveLength(3);
  });

  it('derives the version hash from the contents', () => {
    const make = (description: string) => {
      const catalog = new Catalog();
      catalog.addGroup({ name: 'a', type: 'custom', functions: [fn('x', { description })] });
      return catalog.version;
    };
    expect(make('one')).toBe(make('one'));
    expect(make('one')).not.toBe(make('two'));
  });

  it('keeps other listeners running when one throws', () => {
    const errors: unknown[] = [];
    const catalog = new Catalog({
      logger: { debug() {}, info() {}, warn() {}, error: (...args) => errors.push(args) },
    });
    const seen: string[] = [];
    catalog.onChange(() => {
      throw new Error('listener failed');
    });
    catalog.onChange((version) => seen.push(version));
    catalog.addGroup({ name: 'a', type: 'custom', functions: [fn('x')] });
    expect(seen).toEqual([catalog.version]);
    expect(errors).toHaveLength(1);
  });

  it('returns the same definitions object until the catalog changes', () => {
    const catalog = realisticCatalog();
    const all = catalog.getDefinitions();
    expect(catalog.getDefinitions()).toBe(all);
    expect(all.version).toBe(catalog.version);
    expect(all.apiGroups).toEqual(['calendar', 'crm', 'filesystem', 'github', 'slack', 'stripe', 'weather']);
    const subset = catalog.getDefinitions({ apiGroups: ['github', 'crm'] });
    expect(subset.apiGroups).toEqual(['crm', 'github']);
    // The filter is a set: order and duplicates do not make a new entry.
    expect(catalog.getDefinitions({ apiGroups: ['crm', 'github', 'crm'] })).toBe(subset);
    expect(catalog.getDefinitions({ apiGroups: ['github', 'crm'] })).toBe(subset);
    expect(catalog.getDefinitions({ apiGroups: ['github', 'unknown'] }).apiGroups).toEqual(['github']);
    // An empty filter means every group.
    expect(catalog.getDefinitions({ apiGroups: [] })).toBe(all);
    expect(Object.isFrozen(all)).toBe(true);

    catalog.addGroup({ name: 'extra', type: 'custom', functions: [fn('x')] });
    const after = catalog.getDefinitions();
    expect(after).not.toBe(all);
    expect(after.version).toBe(catalog.version);
    expect(after.typescript).toContain('extra: {');
  });

  it('declares each shared definition once per group even when many functions use it', () => {
    const { typescript } = realisticCatalog().getDefinitions({ apiGroups: ['github'] });
    expect(typescript.match(/^type GithubIssue = /gm)).toHaveLength(1);
    expect(typescript.match(/^type GithubSimpleUser = /gm)).toHaveLength(1);
    expect(typescript).toContain('type GithubIssuesListOutput = GithubIssue[];');
  });

  it('gives clashing groups distinct type-name prefixes', () => {
    const catalog = new Catalog();
    const input = { type: 'object', properties: { a: { type: 'string' } } };
    catalog.addGroup({ name: 'my_api', type: 'custom', functions: [fn('ping', { inputSchema: input })] });
    catalog.addGroup({ name: 'myApi', type: 'custom', functions: [fn('ping', { inputSchema: input })] });
    const { typescript } = catalog.getDefinitions();
    expect(typescript).toContain('type MyApiPingInput = ');
    expect(typescript).toContain('type MyApi2PingInput = ');
  });

  it('writes unknown for a $ref it cannot resolve, and warns once', () => {
    const warnings: unknown[][] = [];
    const catalog = new Catalog({
      logger: { debug() {}, info() {}, warn: (...args) => warnings.push(args), error() {} },
    });
    catalog.addGroup({
      name: 'g',
      type: 'openapi',
      functions: [
        fn('f', {
          inputSchema: {
            type: 'object',
            properties: { a: { $ref: '#/$defs/Missing' }, b: { $ref: 'other.json#/x' } },
          },
        }),
      ],
    });
    expect(catalog.getDefinitions().typescript).toContain(
      'type GFInput = {\n  a?: unknown;\n  b?: unknown;\n};',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toEqual({
      group: 'g',
      refs: ['f input: #/$defs/Missing', 'f input: other.json#/x'],
      count: 2,
    });
    // Resolvable refs (local, group-level, self) do not warn.
    catalog.addGroup(REALISTIC_GROUPS[0]!);
    expect(warnings).toHaveLength(1);
  });

  it('declares an empty api for an empty catalog', () => {
    expect(new Catalog().getDefinitions().typescript).toBe('declare const api: {};\n');
  });
});
