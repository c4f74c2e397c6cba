import type { APIGroup, FunctionDef } from '@agent-tool-protocol/protocol';
import { builtinWordVectors } from '../src/builtin-word-vectors.js';
import { CatalogSearch } from '../src/catalog-search.js';
import { SILENT_LOGGER } from '../src/catalog-types.js';
import { GroupRegistry } from '../src/group-registry.js';
import { PART_CHUNK } from '../src/group-search-part.js';

// Index building is measured by counting work, not time: each function is tokenized (and its
// vector computed) once however many groups come after it, and a background build yields to the
// event loop between chunks.

const noop = () => undefined;
const NOUNS = [
  'invoice',
  'customer',
  'issue',
  'channel',
  'task',
  'refund',
  'branch',
  'webhook',
  'user',
  'project',
];
const VERBS = ['create', 'list', 'get', 'update', 'delete'];

function syntheticGroup(index: number, size: number): APIGroup {
  const functions: FunctionDef[] = [];
  for (let fn = 0; fn < size; fn++) {
    const noun = NOUNS[(fn + index) % NOUNS.length]!;
    const verb = VERBS[fn % VERBS.length]!;
    functions.push({
      name: `${verb}${noun[0]!.toUpperCase()}${noun.slice(1)}${fn}`,
      description: `${verb} a ${noun} of service ${index} (variant ${fn}). Returns the ${noun}.`,
      inputSchema: { type: 'object', properties: { id: { type: 'string' }, limit: { type: 'number' } } },
      handler: noop,
    });
  }
  return { name: `service${index}`, type: 'custom', description: `Service number ${index}`, functions };
}

function searchOver(options: { vectors: boolean }) {
  const registry = new GroupRegistry(SILENT_LOGGER, { inputs: false, outputs: 'off', logger: SILENT_LOGGER });
  const search = new CatalogSearch(registry, undefined, {
    wordVectors: options.vectors ? () => builtinWordVectors() : () => undefined,
  });
  return { registry, search };
}

describe('search index building (counted work)', () => {
  it('tokenizes each function once when groups arrive one by one with searches in between', async () => {
    const { registry, search } = searchOver({ vectors: true });
    const groups = 30;
    const size = 40;
    for (let index = 0; index < groups; index++) {
      registry.add(syntheticGroup(index, size));
      const results = await search.searchHybrid('create an invoice', { maxResults: 5 });
      expect(results.length).toBeGreaterThan(0);
    }
    // Rebuilding every version from scratch would index 40 + 80 + … + 1,200 = 18,600 functions.
    expect(search.work.functionsIndexed).toBe(groups * size);
    expect(search.work.indexesAssembled).toBe(groups);
  });

  it('keeps the indexes when a change leaves every function as it was', async () => {
    const { registry, search } = searchOver({ vectors: false });
    registry.add(syntheticGroup(1, 20));
    search.search('refund');
    registry.replace(syntheticGroup(1, 20));
    search.search('refund');
    expect(search.work.indexesAssembled).toBe(1);
    registry.replace(syntheticGroup(1, 21));
    search.search('refund');
    expect(search.work.indexesAssembled).toBe(2);
    expect(search.work.functionsIndexed).toBe(20 + 21);
  });

  it('builds in the background a chunk per event-loop turn, and gives the same answers', async () => {
    const { registry, search } = searchOver({ vectors: true });
    for (let index = 0; index < 4; index++) registry.add(syntheticGroup(index, 500));
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    await search.prepare();
    counting = false;
    expect(search.work.functionsIndexed).toBe(2_000);
    expect(turns).toBeGreaterThanOrEqual(2_000 / PART_CHUNK);
    const background = await search.searchHybrid('delete a webhook', { maxResults: 5 });

    const { registry: other, search: direct } = searchOver({ vectors: true });
    for (let index = 0; index < 4; index++) other.add(syntheticGroup(index, 500));
    expect(await direct.searchHybrid('delete a webhook', { maxResults: 5 })).toEqual(background);
    expect(direct.work.indexesAssembled).toBe(1);
  });

  it('answers a search that arrives while the background build runs', async () => {
    const { registry, search } = searchOver({ vectors: true });
    for (let index = 0; index < 3; index++) registry.add(syntheticGroup(index, 400));
    const preparing = search.prepare();
    const results = await search.searchHybrid('list the tasks', { maxResults: 3 });
    expect(results).toHaveLength(3);
    await preparing;
    expect(search.work.functionsIndexed).toBe(1_200);
    expect(search.work.indexesAssembled).toBe(1);
  });
});
