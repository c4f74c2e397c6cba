import { EMBEDDING_KEY_PREFIX, HashingEmbeddings } from '@agent-tool-protocol/catalog';
import { createEngine } from '@agent-tool-protocol/engine';
import type { APIGroup, EmbeddingsLike } from '@agent-tool-protocol/protocol';

/** Functions without output schemas. */
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

describe('discovery in the engine', () => {
  it('searches by meaning once function embeddings are ready, and keeps them in the cache provider', async () => {
    const embeddings = new CountingEmbeddings();
    const engine = createEngine({
      auth: { jwtSecret: 'test-secret-that-is-long-enough' },
      execution: { isolatePoolSize: 0 },
      discovery: { embeddings },
      apiGroups: [directoryGroup()],
    });
    try {
      expect(engine.info().capabilities.embeddings).toBe(true);
      // While embedding, the catalog's own ranking (keyword + built-in word vectors) answers.
      const ownRanking = await engine.searchHybrid({ query: 'delete a folder' });
      expect(ownRanking.results.length).toBeGreaterThan(0);
      expect(ownRanking.results.every((result) => result.relevanceScore <= 1)).toBe(true);
      expect(await engine.catalog.prepareSemanticSearch()).toBe(true);
      const { results } = await engine.searchHybrid({ query: 'delete a folder', maxResults: 1 });
      expect(results.map((result) => result.functionName)).toEqual(['erase_folder']);
      const keys: string[] = [];
      for await (const key of engine.cache.keys(EMBEDDING_KEY_PREFIX)) keys.push(key);
      expect(keys).toHaveLength(3);
      expect(embeddings.documents).toBe(3);
    } finally {
      await engine.shutdown(100);
    }
  });

  it("is the catalog's own ranking without embeddings", async () => {
    const engine = createEngine({ execution: { isolatePoolSize: 0 }, apiGroups: [directoryGroup()] });
    try {
      expect(engine.info().capabilities.embeddings).toBe(false);
      expect(await engine.searchHybrid({ query: 'find a person' })).toEqual({
        results: await engine.catalog.searchHybrid('find a person'),
      });
    } finally {
      await engine.shutdown(100);
    }
  });
});
