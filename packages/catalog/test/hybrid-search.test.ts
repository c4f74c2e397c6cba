import {
  Catalog,
  createVectorIndex,
  EMBEDDING_KEY_PREFIX,
  fuseHits,
  HashingEmbeddings,
} from '@agent-tool-protocol/catalog';
import { type EmbeddingsLike, MemoryCache } from '@agent-tool-protocol/protocol';
import { REALISTIC_GROUPS } from './support/realistic-catalog';

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * b[index]!, 0);
}

/** The hashing model, counting calls and texts (a real model behind a counter). */
class CountingEmbeddings implements EmbeddingsLike {
  readonly inner = new HashingEmbeddings();
  readonly modelId = this.inner.modelId;
  documentCalls = 0;
  documentTexts = 0;
  queryCalls = 0;
  embedQuery(text: string): Promise<number[]> {
    this.queryCalls++;
    return this.inner.embedQuery(text);
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    this.documentCalls++;
    this.documentTexts += texts.length;
    return this.inner.embedDocuments(texts);
  }
}

function recordingLogger() {
  const lines: { level: string; data: unknown; message: unknown }[] = [];
  const at = (level: string) => (data: unknown, message?: unknown) => lines.push({ level, data, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

function catalogWith(options: ConstructorParameters<typeof Catalog>[0] = {}): Catalog {
  const catalog = new Catalog(options);
  for (const group of REALISTIC_GROUPS) catalog.addGroup(group);
  return catalog;
}

const paths = (results: { apiGroup: string; functionName: string }[]) =>
  results.map((result) => `${result.apiGroup}.${result.functionName}`);

describe('HashingEmbeddings', () => {
  const model = new HashingEmbeddings();

  it('is deterministic, normalized and of the configured size', async () => {
    const [a, b] = await model.embedDocuments(['Delete a repository', 'Delete a repository']);
    expect(a).toEqual(b);
    expect(a).toHaveLength(256);
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
    expect(await new HashingEmbeddings({ dimensions: 64 }).embedQuery('x y')).toHaveLength(64);
    expect(model.modelId).not.toBe(new HashingEmbeddings({ dimensions: 64 }).modelId);
  });

  it('puts CRUD verbs of one action and word forms closer than unrelated text', async () => {
    const [remove, erase, weather] = await model.embedDocuments([
      'remove a folder',
      'delete the folder',
      'weather forecast for tomorrow',
    ]);
    expect(cosine(remove!, erase!)).toBeGreaterThan(0.4);
    expect(cosine(remove!, weather!)).toBeLessThan(0.15);
    const [repos, repository, invoice] = await model.embedDocuments(['repos', 'repository', 'invoice']);
    // Character trigrams only (no synonym lexicon): closer than an unrelated word, not close.
    expect(cosine(repos!, repository!)).toBeGreaterThan(cosine(repos!, invoice!) + 0.01);
  });

  it('gives an all-zero vector for text without words', async () => {
    expect((await model.embedQuery('!!! ???')).every((value) => value === 0)).toBe(true);
  });
});

describe('createVectorIndex', () => {
  it('returns the nearest vectors by cosine, best first, honouring k and the filter', () => {
    const index = createVectorIndex(
      ['x', 'y', 'xy'],
      [
        [1, 0],
        [0, 2],
        [1, 1],
      ],
    );
    expect(index.size).toBe(3);
    expect(index.search([1, 0.1], 2).map((hit) => hit.id)).toEqual(['x', 'xy']);
    expect(index.search([1, 0.1], 3, (id) => id !== 'x').map((hit) => hit.id)).toEqual(['xy', 'y']);
    expect(index.search([1, 0, 0], 3)).toEqual([]);
    expect(() => createVectorIndex(['a', 'b'], [[1, 0], [1]])).toThrow(/vector 1 has 1 dimensions/);
  });
});

describe('fuseHits', () => {
  const keyword = [
    { id: 'a', score: 10 },
    { id: 'b', score: 5 },
  ];
  const vector = [
    { id: 'c', score: 0.9 },
    { id: 'b', score: 0.8 },
    { id: 'a', score: 0.1 },
  ];

  it('linear: mixes max-normalized keyword scores with range-normalized cosines', () => {
    const fused = fuseHits(keyword, vector, { keywordWeight: 0.5 });
    expect(fused.map((hit) => hit.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.score).toBeCloseTo(0.5 * 0.5 + 0.5 * (0.7 / 0.8), 6);
    expect(fuseHits(keyword, vector, { keywordWeight: 1 }).map((hit) => hit.id)).toEqual(['a', 'b', 'c']);
    expect(fuseHits(keyword, vector, { keywordWeight: 0 })[0]!.id).toBe('c');
  });

  it('rrf: sums 1/(k + rank)', () => {
    const fused = fuseHits(keyword, vector, { method: 'rrf', rrfK: 60 });
    expect(fused[0]).toEqual({ id: 'a', score: 1 / 61 + 1 / 63 });
    expect(fused[1]).toEqual({ id: 'b', score: 1 / 62 + 1 / 62 });
    expect(fused.map((hit) => hit.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('Catalog.searchHybrid', () => {
  it("is the catalog's own ranking (keyword + built-in word vectors) when no embeddings are configured", async () => {
    const catalog = catalogWith();
    const keywordOnly = catalogWith({ ranking: { wordVectors: false } });
    expect(await keywordOnly.searchHybrid('create a user')).toEqual(keywordOnly.search('create a user'));
    const own = await catalog.searchHybrid('create a user');
    expect(own).not.toEqual(catalog.search('create a user'));
    expect(own.every((result) => result.relevanceScore <= 1)).toBe(true);
    expect(await catalog.prepareSemanticSearch()).toBe(false);
    expect(catalog.semanticStatus()).toBeUndefined();
  });

  it('uses keyword search while embeddings are computed in the background, then fuses both', async () => {
    const embeddings = new CountingEmbeddings();
    const catalog = catalogWith({ semanticSearch: { embeddings } });
    const first = await catalog.searchHybrid('remove a customer');
    expect(first).toEqual(await catalogWith().searchHybrid('remove a customer'));
    expect(catalog.semanticStatus()?.state).toBe('building');
    expect(await catalog.prepareSemanticSearch()).toBe(true);
    expect(catalog.semanticStatus()).toMatchObject({ state: 'ready', model: embeddings.modelId });
    const hybrid = await catalog.searchHybrid('remove a customer', { maxResults: 3 });
    expect(hybrid).toHaveLength(3);
    expect(hybrid[0]!.relevanceScore).toBeGreaterThan(0);
    expect(hybrid[0]!.relevanceScore).toBeLessThanOrEqual(1);
    expect(embeddings.queryCalls).toBe(1);
    await catalog.searchHybrid('remove a customer');
    expect(embeddings.queryCalls).toBe(1); // query vectors are remembered
  });

  it('finds functions by meaning where keywords fail', async () => {
    const catalog = new Catalog({ semanticSearch: { embeddings: new HashingEmbeddings() } });
    const noop = () => undefined;
    catalog.addGroup({
      name: 'files',
      type: 'mcp',
      functions: [
        {
          name: 'list_directory',
          description: 'Get a detailed listing of all entries in a path',
          handler: noop,
        },
        { name: 'read_text', description: 'Read the complete contents of a text document', handler: noop },
        { name: 'delete_entry', description: 'Delete an entry permanently', handler: noop },
      ],
    });
    await catalog.prepareSemanticSearch();
    expect(paths(await catalog.searchHybrid('show what is in a folder'))[0]).toBe('files.list_directory');
    expect(paths(await catalog.searchHybrid('erase a thing', { maxResults: 1 }))).toEqual([
      'files.delete_entry',
    ]);
  });

  it('honours the apiGroups filter', async () => {
    const catalog = catalogWith({ semanticSearch: { embeddings: new HashingEmbeddings() } });
    await catalog.prepareSemanticSearch();
    const groups = REALISTIC_GROUPS.map((group) => group.name);
    const only = groups[groups.length - 1]!;
    const results = await catalog.searchHybrid('create', { apiGroups: [only], maxResults: 20 });
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.apiGroup === only)).toBe(true);
  });

  it('stores embeddings in the cache provider so another instance computes none', async () => {
    const cache = new MemoryCache();
    const first = new CountingEmbeddings();
    const one = catalogWith({ semanticSearch: { embeddings: first, cache } });
    await one.prepareSemanticSearch();
    const functions = REALISTIC_GROUPS.reduce((sum, group) => sum + group.functions.length, 0);
    expect(first.documentTexts).toBe(functions);
    const keys: string[] = [];
    for await (const key of cache.keys(EMBEDDING_KEY_PREFIX)) keys.push(key);
    expect(keys).toHaveLength(functions);
    expect(typeof (await cache.get(keys[0]!))).toBe('string'); // base64 float32, not a JSON array

    const second = new CountingEmbeddings();
    const two = catalogWith({ semanticSearch: { embeddings: second, cache: () => cache } });
    expect(await two.prepareSemanticSearch()).toBe(true);
    expect(second.documentCalls).toBe(0);
    expect(paths(await two.searchHybrid('delete user'))).toEqual(
      paths(await one.searchHybrid('delete user')),
    );

    // Another model id does not reuse them.
    const third = new CountingEmbeddings();
    const three = catalogWith({ semanticSearch: { embeddings: third, cache, modelId: 'other-model' } });
    await three.prepareSemanticSearch();
    expect(third.documentTexts).toBe(functions);
  });

  it('embeds only new texts when a group changes, in batches, logging progress', async () => {
    const { lines, logger } = recordingLogger();
    const embeddings = new CountingEmbeddings();
    const catalog = catalogWith({ logger, semanticSearch: { embeddings, batchSize: 7 } });
    await catalog.prepareSemanticSearch();
    const functions = REALISTIC_GROUPS.reduce((sum, group) => sum + group.functions.length, 0);
    expect(embeddings.documentCalls).toBe(Math.ceil(functions / 7));
    const progress = lines.filter(
      (line) => line.level === 'info' && /embedded \d+\/\d+ functions/.test(String(line.message)),
    );
    expect(progress.length).toBeGreaterThanOrEqual(Math.min(10, Math.ceil(functions / 7)));
    expect(progress.length).toBeLessThanOrEqual(11);
    expect(progress.at(-1)!.data).toMatchObject({ done: functions, total: functions });

    const calls = embeddings.documentCalls;
    catalog.addGroup({
      name: 'extra',
      type: 'custom',
      functions: [{ name: 'ping', description: 'Check the service answers', handler: () => 'pong' }],
    });
    await catalog.prepareSemanticSearch();
    expect(embeddings.documentCalls).toBe(calls + 1);
    expect(embeddings.documentTexts).toBe(functions + 1);
  });

  it('falls back to keyword search when the model fails, and retries later', async () => {
    const { lines, logger } = recordingLogger();
    let fail = true;
    const inner = new HashingEmbeddings();
    const flaky: EmbeddingsLike = {
      embedQuery: (text) => inner.embedQuery(text),
      embedDocuments: async (texts) => {
        if (fail) throw new Error('model server unreachable');
        return inner.embedDocuments(texts);
      },
    };
    const catalog = catalogWith({ logger, semanticSearch: { embeddings: flaky, retryAfterMs: 0 } });
    expect(await catalog.prepareSemanticSearch()).toBe(false);
    expect(catalog.semanticStatus()).toMatchObject({ state: 'failed', error: 'model server unreachable' });
    expect(await catalog.searchHybrid('delete user')).toEqual(
      await catalogWith().searchHybrid('delete user'),
    );
    expect(await catalog.prepareSemanticSearch()).toBe(false); // the retry the search started fails too
    expect(
      lines.some((line) => line.level === 'warn' && /embedding functions failed/.test(String(line.message))),
    ).toBe(true);
    fail = false;
    expect(await catalog.prepareSemanticSearch()).toBe(true);
  });

  it('falls back per query when embedQuery throws, returns garbage or is too slow', async () => {
    const inner = new HashingEmbeddings();
    let mode: 'throw' | 'garbage' | 'slow' | 'ok' = 'throw';
    const model: EmbeddingsLike = {
      embedDocuments: (texts) => inner.embedDocuments(texts),
      embedQuery: async (text) => {
        if (mode === 'throw') throw new Error('rate limited');
        if (mode === 'garbage') return [Number.NaN] as number[];
        if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 200));
        return inner.embedQuery(text);
      },
    };
    const catalog = catalogWith({ semanticSearch: { embeddings: model, queryTimeoutMs: 50 } });
    await catalog.prepareSemanticSearch();
    const keyword = await catalogWith().searchHybrid('delete a user');
    expect(await catalog.searchHybrid('delete a user')).toEqual(keyword);
    mode = 'garbage';
    expect(await catalog.searchHybrid('delete a user')).toEqual(keyword);
    mode = 'slow';
    expect(await catalog.searchHybrid('delete a user')).toEqual(keyword);
    mode = 'ok';
    expect(await catalog.searchHybrid('delete a user')).not.toEqual(keyword);
  });

  it('rejects embeddings without the LangChain shape', () => {
    expect(() => new Catalog({ semanticSearch: { embeddings: {} as EmbeddingsLike } })).toThrow(
      /semanticSearch\.embeddings: must have embedQuery and embedDocuments/,
    );
    expect(
      () => new Catalog({ semanticSearch: { embeddings: new HashingEmbeddings(), batchSize: 0 } }),
    ).toThrow(/semanticSearch\.batchSize/);
  });
});
