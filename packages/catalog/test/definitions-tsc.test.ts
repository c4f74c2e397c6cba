import { Catalog, generateRuntimeDefinitions } from '@agent-tool-protocol/catalog';
import type { APIGroup, ClientServices, FunctionDef } from '@agent-tool-protocol/protocol';
import { typecheck } from '@agent-tool-protocol/testing';
import { REALISTIC_GROUPS } from './support/realistic-catalog';

const handler = async () => ({});
const fn = (name: string, extra: Partial<FunctionDef> = {}): FunctionDef => ({ name, handler, ...extra });

// Everything the generator has to get right at once: odd names, recursion, every schema shape.
const tricky: APIGroup = {
  name: 'odd-names',
  type: 'mcp',
  description: 'A group whose names */ need aliases',
  definitions: {
    Json: {
      anyOf: [
        { type: ['string', 'number', 'boolean', 'null'] },
        { type: 'array', items: { $ref: '#/$defs/Json' } },
        { type: 'object', additionalProperties: { $ref: '#/$defs/Json' } },
      ],
    },
    TreeNode: {
      type: 'object',
      properties: {
        value: { type: 'number' },
        children: { type: 'array', items: { $ref: '#/definitions/TreeNode' } },
      },
      required: ['value'],
    },
  },
  functions: [
    fn('read-file', {
      description: 'Read */ a file',
      inputSchema: {
        type: 'object',
        properties: { 'file-path': { type: 'string' } },
        required: ['file-path'],
      },
    }),
    fn('read_file', { inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }),
    fn('2fa'),
    fn('delete', { metadata: { operationType: 'destructive', requiresApproval: true } }),
    fn('class.new'),
    fn('issues'),
    fn('issues.create'),
    fn('constructor'),
    fn('json', {
      inputSchema: { type: 'object', properties: { value: { $ref: '#/$defs/Json' } }, required: ['value'] },
    }),
    fn('tree', {
      inputSchema: { $ref: '#/definitions/TreeNode' },
      outputSchema: { $ref: '#/$defs/TreeNode' },
    }),
    fn('linked', {
      inputSchema: {
        type: 'object',
        properties: { head: { $ref: '#/$defs/Item' } },
        $defs: {
          Item: { type: 'object', properties: { next: { $ref: '#/$defs/Item' }, label: { type: 'string' } } },
        },
      },
      outputSchema: { type: 'object', properties: { again: { $ref: '#' } } },
    }),
    fn('shapes', {
      inputSchema: {
        type: 'object',
        properties: {
          pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
          draft7Tuple: {
            type: 'array',
            items: [{ type: 'boolean' }, { type: 'null' }],
            additionalItems: { type: 'string' },
          },
          nullable30: { type: 'string', nullable: true },
          nullable31: { type: ['string', 'null'] },
          either: {
            oneOf: [
              { type: 'string' },
              { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] },
            ],
          },
          both: {
            allOf: [
              { type: 'object', properties: { a: { type: 'string' } } },
              { type: 'object', properties: { b: { type: 'number' } } },
            ],
          },
          map: { type: 'object', additionalProperties: { type: 'number' } },
          mixed: {
            type: 'object',
            properties: { known: { type: 'string' } },
            additionalProperties: { type: 'number' },
          },
          closed: { type: 'object', additionalProperties: false },
          constant: { const: 'fixed' },
          anything: {},
          never: false,
          enumMixed: { enum: ['a', 1, true, null] },
        },
      },
      outputSchema: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    }),
  ],
};

// Two groups whose type-name prefixes clash (`MyApi`): the second must take another prefix.
const myApiDash: APIGroup = {
  name: 'my_api',
  type: 'custom',
  functions: [fn('ping', { inputSchema: { type: 'object', properties: { a: { type: 'string' } } } })],
};
const myApiCamel: APIGroup = {
  name: 'myApi',
  type: 'custom',
  functions: [fn('ping', { inputSchema: { type: 'object', properties: { b: { type: 'number' } } } })],
};

function catalog(): Catalog {
  const result = new Catalog();
  for (const group of [...REALISTIC_GROUPS, tricky, myApiDash, myApiCamel]) result.addGroup(group);
  return result;
}

const USAGE = `
async function useApi(): Promise<void> {
  const issue = await api.github.issues.create({ owner: 'o', repo: 'r', title: 't' });
  const number: number = issue.number;
  const login: string | undefined = issue.assignee?.login;
  const labels: string[] | undefined = issue.labels?.map((label) => label.name);
  // @ts-expect-error title is required
  await api.github.issues.create({ owner: 'o', repo: 'r' });
  // @ts-expect-error state is an enum
  await api.github.issues.update({ owner: 'o', repo: 'r', issue_number: 1, state: 'merged' });
  const user = await api.crm.users.create({ email: 'a@b.c', role: 'admin' });
  const id: string = user.id;
  await api.crm.users.list();
  const file = await api.odd_names.read_file_2({ 'file-path': '/x' });
  await api.odd_names.read_file({ path: '/y' });
  await api.odd_names._2fa();
  await api.odd_names.delete();
  await api.odd_names.class.new();
  await api.odd_names.issues();
  await api.odd_names.issues.create();
  await api.odd_names.constructor_();
  const tree = await api.odd_names.tree({ value: 1, children: [{ value: 2, children: [] }] });
  const depth: number | undefined = tree.children?.[0]?.value;
  const linked = await api.odd_names.linked({ head: { next: { label: 'x' } } });
  const again: unknown = linked.again?.again;
  await api.odd_names.shapes({
    pair: ['a', 1],
    draft7Tuple: [true, null, 'rest'],
    nullable30: null,
    nullable31: null,
    either: { id: 1 },
    both: { a: 'x', b: 2 },
    map: { x: 1 },
    mixed: { known: 'k', other: 3 },
    closed: {},
    constant: 'fixed',
    anything: new Date(),
    enumMixed: null,
  });
  // @ts-expect-error a tuple of [string, number]
  await api.odd_names.shapes({ pair: [1, 'a'] });
  // @ts-expect-error const
  await api.odd_names.shapes({ constant: 'other' });
  await api.odd_names.json({ value: { list: [1, 'two', null, { deep: [true] }] } });
  // @ts-expect-error functions are not JSON
  await api.odd_names.json({ value: () => 1 });
  await api.my_api.ping({ a: 'x' });
  await api.myApi.ping({ b: 1 });
  const forecast = await api.weather.forecast({ city: 'Paris' });
  const high: number | undefined = forecast.days[0]?.highC;
  void [number, login, labels, id, file, depth, again, high];
}
`;

describe('generated declarations type-check with tsc', () => {
  it('compiles the api declarations of a varied catalog and usage code without diagnostics', () => {
    const { typescript } = catalog().getDefinitions();
    const diagnostics = typecheck({ 'api.d.ts': typescript, 'usage.ts': USAGE });
    expect(diagnostics).toEqual([]);
  });

  it('compiles a filtered subset on its own', () => {
    const { typescript, apiGroups } = catalog().getDefinitions({ apiGroups: ['odd-names', 'weather'] });
    expect(apiGroups).toEqual(['odd-names', 'weather']);
    expect(typecheck({ 'api.d.ts': typescript })).toEqual([]);
    expect(typescript).not.toContain('github');
  });

  it('reports real type errors (the check is not vacuous)', () => {
    const { typescript } = catalog().getDefinitions();
    const diagnostics = typecheck({
      'api.d.ts': typescript,
      'usage.ts': 'async function f() { await api.github.issues.create({ owner: 1 }); }',
    });
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it.each<[Partial<ClientServices>, string[], string[]]>([
    [{}, ['log', 'progress', 'cache'], ['llm', 'approval', 'embedding']],
    [{ hasLLM: true }, ['log', 'llm'], ['approval', 'embedding']],
    [{ hasApproval: true, hasEmbedding: true }, ['approval', 'embedding'], ['llm']],
    [
      { hasLLM: true, hasApproval: true, hasEmbedding: true, hasTools: true },
      ['llm', 'approval', 'embedding'],
      [],
    ],
  ])('compiles the runtime declarations for services %j', (services, present, absent) => {
    const text = generateRuntimeDefinitions(services);
    for (const name of present) expect(text).toContain(`  ${name}: {`);
    for (const name of absent) expect(text).not.toContain(`  ${name}: {`);
    const usage = [
      "atp.log.info('hello', { a: 1 });",
      "atp.progress.report('half', 0.5);",
      "atp.progress.report({ current: 5, total: 10, message: 'Processing...' });",
      'async function f() {',
      "  await atp.cache.set('k', 1, 60);",
      "  const value = await atp.cache.get<number>('k');",
      "  const removed: boolean = await atp.cache.delete('k');",
      ...(services.hasLLM
        ? [
            "  const text: string = await atp.llm.call('hi', { temperature: 0 });",
            "  const data = await atp.llm.extract<{ a: number }>('x', { type: 'object' });",
            '  const a: number = data.a;',
            "  const label: string = await atp.llm.classify('t', ['x', 'y']);",
            "  const same: string = await atp.llm.classify({ text: 'Text', categories: ['A', 'B'] });",
            "  const hello: string = await atp.llm.call({ prompt: 'Hello' });",
            "  const named = await atp.llm.extract<{ name: string }>({ prompt: 'Extract', schema: { name: 'string' } });",
            '  void same; void hello; void named.name;',
          ]
        : []),
      ...(services.hasApproval
        ? [
            "  const answer = await atp.approval.request('ok?', { id: 1 });",
            '  const yes: boolean = answer.approved;',
          ]
        : []),
      ...(services.hasEmbedding
        ? [
            "  const id: string = await atp.embedding.embed('x'); const hits = await atp.embedding.search('y', { topK: 2 }); const best: number = hits[0]!.similarity; const vector: number[] = await atp.embedding.vector('x'); void id; void best; void vector;",
          ]
        : []),
      '  void value; void removed;',
      '}',
    ].join('\n');
    expect(typecheck({ 'atp.d.ts': text, 'usage.ts': usage })).toEqual([]);
  });

  it('fails to compile a call to a service the client does not have', () => {
    const diagnostics = typecheck({
      'atp.d.ts': generateRuntimeDefinitions({ hasLLM: false }),
      'usage.ts': "async function f() { await atp.llm.call('x'); }",
    });
    expect(diagnostics.join('\n')).toContain("Property 'llm' does not exist");
  });
});
