import { Catalog, generateRuntimeDefinitions } from '@agent-tool-protocol/catalog';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import {
  AgentTypeChecker,
  formatDiagnostics,
  type TypeCheckEnvironment,
} from '@agent-tool-protocol/typecheck';

const tickets: APIGroup = {
  name: 'tickets',
  type: 'custom',
  functions: [
    {
      name: 'list',
      description: 'Lists tickets.',
      inputSchema: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'closed'] } } },
      outputSchema: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, title: { type: 'string' }, priority: { type: 'number' } },
          required: ['id', 'title'],
        },
      },
      metadata: { operationType: 'read' },
      handler: () => [],
    },
    {
      name: 'update',
      inputSchema: {
        type: 'object',
        properties: { id: { type: 'string' }, priority: { type: 'number' } },
        required: ['id'],
      },
      metadata: { operationType: 'write' },
      handler: () => ({}),
    },
  ],
};

function environment(catalog: Catalog, services = {}): TypeCheckEnvironment {
  const definitions = catalog.getDefinitions({ detail: 'full' });
  return {
    apiDeclarations: definitions.typescript,
    apiVersion: definitions.version,
    runtimeDeclarations: generateRuntimeDefinitions(services),
  };
}

describe('AgentTypeChecker', () => {
  const catalog = new Catalog();
  catalog.addGroup(tickets);
  const checker = new AgentTypeChecker();

  it('accepts loose, correct agent code with top-level await and return', () => {
    const result = checker.check(
      [
        "const open = await api.tickets.list({ status: 'open' });",
        'let touched = [];',
        'for (const t of open) {',
        '  if (t.priority > 2) continue;',
        '  await api.tickets.update({ id: t.id, priority: 3 });',
        '  touched.push(t.id);',
        '}',
        'const summary = {};',
        'summary.count = touched.length;',
        'const anything = await api.tickets.update({ id: "x" });',
        'console.log(anything.whatever, JSON.parse("{}").x);',
        "atp.log.info('done', { touched });",
        'try { setTimeout(() => undefined, 1); } catch (e) { atp.log.warn(e.message); }',
        'return { touched, summary };',
      ].join('\n'),
      environment(catalog),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("maps a misspelled function to the agent's line with a suggestion", () => {
    const result = checker.check(
      '// list the open ones\nconst x = 1;\nconst rows = await api.tickets.lst();\nreturn rows;',
      environment(catalog),
    );
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      {
        line: 3,
        column: expect.any(Number),
        code: 'TS2551',
        message: "Property 'lst' does not exist on api.tickets. Did you mean 'list'?",
      },
    ]);
    expect(formatDiagnostics(result.diagnostics)).toBe(
      "line 3: Property 'lst' does not exist on api.tickets. Did you mean 'list'?",
    );
  });

  it('reports wrong argument shapes, misspelled result fields and unknown names, one line each', () => {
    const result = checker.check(
      [
        "await api.tickets.update({ id: 1, priority: 'high' });",
        'const rows = await api.tickets.list();',
        'rows.map((row) => row.titel);',
        'await api.tickets.update({ priority: 2 });',
        'return undefinedHelper(rows);',
      ].join('\n'),
      environment(catalog),
    );
    const lines = result.diagnostics.map((diagnostic) => diagnostic.line);
    expect(lines).toEqual([1, 1, 3, 4, 5]);
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.message).not.toMatch(/\n|agent\.ts|\/atp\//);
    }
    expect(result.diagnostics[2]?.message).toBe(
      "Property 'titel' does not exist on row. Did you mean 'title'?",
    );
    expect(result.diagnostics[3]?.message).toMatch(/Property 'id' is missing/);
    expect(result.diagnostics[4]?.message).toBe("Cannot find name 'undefinedHelper'.");
  });

  it('declares atp.* only for the services the client has', () => {
    const code = "return await atp.llm.call('hi');";
    expect(checker.check(code, environment(catalog, { hasLLM: true })).ok).toBe(true);
    const without = checker.check(code, environment(catalog));
    expect(without.diagnostics[0]?.message).toMatch(/Property 'llm' does not exist on atp/);
  });

  it('adds client tools as extra api members', () => {
    const code = "await api.client.notify({ text: 'x' });";
    expect(checker.check(code, environment(catalog)).ok).toBe(false);
    const env = {
      ...environment(catalog),
      extraApiMembers: '  client: { notify(input?: any): Promise<any>; };',
    };
    expect(checker.check(code, env).ok).toBe(true);
  });

  it('flags syntax errors as such', () => {
    const result = checker.check('const = 1;', environment(catalog));
    expect(result.syntaxError).toBe(true);
    expect(result.ok).toBe(false);
  });

  it('follows catalog changes (a new version replaces the api declarations)', () => {
    const local = new Catalog();
    local.addGroup(tickets);
    const code = 'return await api.users.get({ id: "1" });';
    expect(checker.check(code, environment(local)).ok).toBe(false);
    local.addGroup({
      name: 'users',
      type: 'custom',
      functions: [
        {
          name: 'get',
          inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
          handler: () => ({}),
        },
      ],
    });
    expect(checker.check(code, environment(local)).ok).toBe(true);
  });

  it('caps the number of diagnostics', () => {
    const small = new AgentTypeChecker({ maxDiagnostics: 2 });
    const result = small.check('a1; a2; a3; a4;', environment(catalog));
    expect(result.diagnostics).toHaveLength(2);
    expect(result.truncated).toBe(true);
  });
});

describe('AgentTypeChecker with one declarations part per group', () => {
  const parts = (catalog: Catalog) =>
    catalog.listGroups().map((group) => {
      const text = catalog.getDefinitions({ apiGroups: [group.name], detail: 'full' }).typescript;
      return { name: group.name, text, key: `${group.name}:${text.length}` };
    });

  it('checks across groups and suggests group names', () => {
    const catalog = new Catalog();
    catalog.addGroup(tickets);
    catalog.addGroup({
      name: 'users',
      type: 'custom',
      functions: [
        {
          name: 'get',
          inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          outputSchema: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
          handler: () => ({}),
        },
      ],
    });
    const checker = new AgentTypeChecker();
    const env = { apiDeclarations: parts(catalog), runtimeDeclarations: generateRuntimeDefinitions({}) };
    const ok = checker.check(
      'const [t] = await api.tickets.list();\nconst u = await api.users.get({ id: t.id });\nreturn u.email;',
      env,
    );
    expect(ok.diagnostics).toEqual([]);
    const typo = checker.check('return await api.user.get({ id: "1" });', env);
    expect(typo.diagnostics.map((d) => d.message)).toEqual([
      "Property 'user' does not exist on api. Did you mean 'users'?",
    ]);
  });
});
