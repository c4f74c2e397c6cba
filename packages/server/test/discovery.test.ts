import { HashingEmbeddings } from '@agent-tool-protocol/catalog';
import type { APIGroup, EmbeddingsLike } from '@agent-tool-protocol/protocol';
import { startServer } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

/** A big generated API: 30 namespaces × 20 functions, without output schemas. */
function bigGroup(): APIGroup {
  const functions: APIGroup['functions'] = [];
  for (let n = 0; n < 30; n++) {
    for (let f = 0; f < 20; f++) {
      functions.push({
        name: `area${n}.action${f}`,
        description: `Action ${f} of area ${n}`,
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        handler: () => ({ ok: true }),
      });
    }
  }
  return { name: 'big', type: 'custom', description: 'A large generated API', functions };
}

/** Functions without output schemas whose results the server learns from. */
function directoryGroup(): APIGroup {
  return {
    name: 'directory',
    type: 'mcp',
    functions: [
      {
        name: 'lookup_person',
        description: 'Find a person by login',
        handler: (input: { login: string }) => ({ login: input.login, age: 41, teams: ['core'] }),
      },
      {
        name: 'erase_folder',
        description: 'Permanently remove a directory and everything in it',
        handler: () => true,
      },
      {
        name: 'payroll',
        description: 'Salary of a person',
        metadata: { sensitivity: 'sensitive' },
        handler: () => ({ salary: 99000 }),
      },
    ],
  };
}

class CountingEmbeddings implements EmbeddingsLike {
  private readonly inner = new HashingEmbeddings();
  readonly modelId = this.inner.modelId;
  documents = 0;
  embedQuery(text: string) {
    return this.inner.embedQuery(text);
  }
  embedDocuments(texts: string[]) {
    this.documents += texts.length;
    return this.inner.embedDocuments(texts);
  }
}

describe('discovery over HTTP', () => {
  let h: Harness;
  let headers: Record<string, string>;
  beforeAll(async () => {
    // `directory` opts into sharing field names of inferred output types (the default is shape only).
    h = await startServer({ discovery: { shareInferredOutputs: ['directory'] } });
    h.server.addAPIGroup(bigGroup());
    h.server.addAPIGroup(directoryGroup());
    headers = (await h.init()).headers;
  });
  afterAll(() => h.close());

  it('answers /api/definitions with the compact index by default for a large catalog', async () => {
    const response = await h.call('GET', '/api/definitions', { headers });
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(['apiGroups', 'typescript', 'version']);
    const typescript = response.json.typescript as string;
    expect(typescript).toContain('interface AtpApiNode {');
    expect(typescript).toContain(
      '    area7: AtpApiNode; // 20 functions: action0, action1, action2, action3, …',
    );
    expect(typescript).not.toContain('BigArea7Action3Input');
    expect(typescript.length).toBeLessThan(8_000);
  });

  it('gives full signatures on demand: detail=full, apiGroups, functions', async () => {
    const full = await h.call('GET', '/api/definitions?detail=full', { headers });
    expect(full.json.typescript).toContain('type BigArea7Action3Input = {');
    const group = await h.call('GET', '/api/definitions?apiGroups=tickets', { headers });
    expect(group.json.apiGroups).toEqual(['tickets']);
    expect(group.json.typescript).not.toContain('AtpApiNode');
    const some = await h.call('GET', '/api/definitions?functions=big.area7.action3,directory.lookup_person', {
      headers,
    });
    expect(some.json.apiGroups).toEqual(['big', 'directory']);
    expect(some.json.typescript).toContain('action3(input: BigArea7Action3Input): Promise<unknown>;');
    expect(some.json.typescript).not.toContain('BigArea7Action4Input');
    const compactGroup = await h.call('GET', '/api/definitions?apiGroups=tickets&detail=compact', {
      headers,
    });
    expect(compactGroup.json.typescript).toContain('AtpApiNode');
  });

  it('returns the compact index with the explore root', async () => {
    const root = await h.call('POST', '/api/explore', { headers, body: { path: '/' } });
    expect(root.json).toMatchObject({
      type: 'directory',
      path: '/',
      items: [
        { name: 'custom', type: 'directory' },
        { name: 'mcp', type: 'directory' },
      ],
    });
    expect(root.json.overview).toContain('    area7: AtpApiNode; // 20 functions:');
    const deeper = await h.call('POST', '/api/explore', { headers, body: { path: '/custom' } });
    expect(deeper.json.overview).toBeUndefined();
  });

  it('starts embedding functions when the server starts listening', async () => {
    const embeddings = new CountingEmbeddings();
    const started = await startServer({ discovery: { embeddings } });
    try {
      await started.server.engine.catalog.prepareSemanticSearch(); // joins the build listen() started
      expect(embeddings.documents).toBe(started.server.engine.catalog.listGroups()[0]!.functionCount);
      expect(started.server.engine.catalog.semanticStatus()?.state).toBe('ready');
    } finally {
      await started.close();
    }
  });

  it('rejects an unknown detail, naming the field', async () => {
    const response = await h.call('GET', '/api/definitions?detail=verbose', { headers });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('VALIDATION_ERROR');
    expect(response.json.error).toContain('detail: must be one of full, compact, auto');
  });

  it('keeps the full declarations as the default for a small catalog (ATP 0.19 clients)', async () => {
    const small = await startServer();
    try {
      const { headers: smallHeaders } = await small.init();
      const response = await small.call('GET', '/api/definitions', { headers: smallHeaders });
      expect(response.json.typescript).toContain('declare const api: {');
      expect(response.json.typescript).not.toContain('AtpApiNode');
    } finally {
      await small.close();
    }
  });

  it('infers output types with field names for a group that shares them, marks them @inferred and skips sensitive tools', async () => {
    const before = await h.call('GET', '/api/definitions?apiGroups=directory', { headers });
    expect(before.json.typescript).toContain(
      'lookup_person(input?: Record<string, unknown>): Promise<unknown>;',
    );
    const run = await h.call('POST', '/api/execute', {
      headers,
      body: {
        code: "const person = await api.directory.lookup_person({ login: 'ada' }); await api.directory.payroll({}); return person.login;",
      },
    });
    expect(run.json).toMatchObject({ status: 'completed', result: 'ada' });
    await h.server.engine.catalog.flushOutputInference();
    const after = await h.call('GET', '/api/definitions?apiGroups=directory', { headers });
    const typescript = after.json.typescript as string;
    expect(after.json.version).not.toBe(before.json.version);
    expect(typescript).toContain(
      'lookup_person(input?: Record<string, unknown>): Promise<DirectoryLookupPersonOutput>;',
    );
    expect(typescript).toMatch(
      /\/\*\* @inferred[^\n]*\*\/\ntype DirectoryLookupPersonOutput = \{\n {2}age: number;\n {2}login: string;\n {2}teams: string\[\];\n\};/,
    );
    expect(typescript).toContain('payroll(input?: Record<string, unknown>): Promise<unknown>;');
    expect(typescript).not.toContain('ada');
    expect(typescript).not.toContain('99000');
  });
});
