import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { embeddingsFromLangChain } from '../src/index.js';
import { startATPServer } from './support/atp-server';

type Harness = Awaited<ReturnType<typeof startATPServer>>;

describe('embeddingsFromLangChain answers atp.embedding.* with LangChain embeddings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startATPServer();
  });
  afterAll(() => h.close());

  it('embeds one text with embedQuery', async () => {
    const embeddings = new SyntheticEmbeddings({ vectorSize: 8 });
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideEmbedding(
      embeddingsFromLangChain(embeddings),
    );
    await client.init();
    const result = await client.execute(`return await atp.embedding.vector('refund please');`);
    expect(result).toMatchObject({
      status: 'completed',
      result: await embeddings.embedQuery('refund please'),
    });
  });

  it('batches the concurrent embeds of one pause into one embedDocuments call', async () => {
    const embeddings = new SyntheticEmbeddings({ vectorSize: 4 });
    const documents = jest.spyOn(embeddings, 'embedDocuments');
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideEmbedding(
      embeddingsFromLangChain(embeddings),
    );
    await client.init();
    const result = await client.execute(`
      const titles = (await api.desk.tickets.list({})).slice(0, 6).map((t) => t.title);
      const vectors = await Promise.all(titles.map((title) => atp.embedding.vector(title)));
      return { titles, vectors };`);
    expect(result.status).toBe('completed');
    const { titles, vectors } = result.result as { titles: string[]; vectors: number[][] };
    expect(documents).toHaveBeenCalledTimes(1);
    expect(documents).toHaveBeenCalledWith(titles);
    expect(vectors).toEqual(await embeddings.embedDocuments(titles));
  });

  it('stores what atp.embedding.embed embeds and atp.embedding.search ranks it, for this execution', async () => {
    const embeddings = new SyntheticEmbeddings({ vectorSize: 16 });
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideEmbedding(
      embeddingsFromLangChain(embeddings),
    );
    await client.init();
    const result = await client.execute(`
      const ids = await atp.embedding.embed(['refund a duplicate charge', 'reset my password', 'close my account']);
      const hits = await atp.embedding.search('reset my password', { topK: 2 });
      return { ids, hits, count: atp.embedding.count() };`);
    expect(result.status).toBe('completed');
    const { ids, hits, count } = result.result as {
      ids: string[];
      hits: Array<{ id: string; text: string; similarity: number }>;
      count: number;
    };
    expect(new Set(ids).size).toBe(3);
    expect(count).toBe(3);
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ id: ids[1], text: 'reset my password' });
    expect(hits[0]!.similarity).toBeCloseTo(1, 6);
    expect(hits[0]!.similarity).toBeGreaterThanOrEqual(hits[1]!.similarity);
  });

  it('with batch: false, one embedQuery per call; an embeddings error reaches the code', async () => {
    const embeddings = new SyntheticEmbeddings({ vectorSize: 4 });
    const documents = jest.spyOn(embeddings, 'embedDocuments');
    jest.spyOn(embeddings, 'embedQuery').mockImplementation(async (text) => {
      if (text === 'boom') throw new Error('quota exceeded');
      return [text.length];
    });
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideEmbedding(
      embeddingsFromLangChain(embeddings, { batch: false }),
    );
    await client.init();
    const result = await client.execute(`
      const ok = await Promise.all(['a', 'bb'].map((t) => atp.embedding.vector(t)));
      try { await atp.embedding.vector('boom'); } catch (error) { return { ok, error: error.message }; }`);
    expect(result).toMatchObject({
      status: 'completed',
      result: { ok: [[1], [2]], error: 'quota exceeded' },
    });
    expect(documents).not.toHaveBeenCalled();
  });

  it('rejects what is not an Embeddings object', () => {
    expect(() => embeddingsFromLangChain({} as SyntheticEmbeddings)).toThrow(
      /embedQuery\(\) and embedDocuments\(\)/,
    );
  });
});
