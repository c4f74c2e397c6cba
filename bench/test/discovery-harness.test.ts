import type { APIGroup } from '@agent-tool-protocol/protocol';
import {
  countTokens,
  createSearcher,
  evaluateTasks,
  halves,
  standardConfigurations,
} from '../src/discovery-eval/harness.ts';
import { sharedKeywords } from '../src/discovery-eval/keywords.ts';
import { firstRank, summarize } from '../src/discovery-eval/metrics.ts';
import type { DiscoveryTask } from '../src/discovery-eval/tasks.ts';

const noop = () => undefined;

/** A hand-made group whose functions carry operationIds, as loadOpenAPI's do. */
function petsGroup(): APIGroup {
  const fn = (name: string, operationId: string, description: string) => ({
    name,
    description,
    inputSchema: { type: 'object' as const, properties: {} },
    metadata: { operationId },
    handler: noop,
  });
  return {
    name: 'pets',
    type: 'custom',
    description: 'A pet store',
    functions: [
      fn('listPets', 'list-pets', 'List every pet in the store'),
      fn('createPet', 'create-pet', 'Create a pet record'),
      fn('deletePet', 'delete-pet', 'Delete a pet record'),
      fn('getOwner', 'get-owner', 'Get the owner of a pet'),
      fn('uploadPhoto', 'upload-photo', 'Upload a photo of an animal'),
    ],
  };
}

const operationIdOf = (path: string) =>
  ({
    'pets.listPets': 'list-pets',
    'pets.createPet': 'create-pet',
    'pets.deletePet': 'delete-pet',
    'pets.getOwner': 'get-owner',
    'pets.uploadPhoto': 'upload-photo',
  })[path];

const task = (query: string, expected: string[], split: 'dev' | 'test'): DiscoveryTask => ({
  spec: 'pets',
  query,
  expected,
  split,
});

describe('discovery metrics', () => {
  it('ranks the first acceptable result within the page', () => {
    expect(firstRank(['a', 'b', 'c'], ['c', 'b'])).toBe(2);
    expect(firstRank(['a', 'b', 'c'], ['z'])).toBeNull();
    expect(firstRank(['a', 'b', 'c'], ['c'], 2)).toBeNull();
  });

  it('computes recall@k, MRR and mean tokens', () => {
    const metrics = summarize([
      { rank: 1, tokens: 100 },
      { rank: 3, tokens: 200 },
      { rank: 7, tokens: 300 },
      { rank: null, tokens: 400 },
    ]);
    expect(metrics).toEqual({
      tasks: 4,
      recallAt1: 0.25,
      recallAt5: 0.5,
      recallAt10: 0.75,
      mrr: (1 + 1 / 3 + 1 / 7) / 4,
      meanTokens: 250,
    });
  });

  it('finds the keywords a query shares with an operation name, after stemming', () => {
    const names = ['activity/star-repo-for-authenticated-user', 'activity.starRepoForAuthenticatedUser'];
    expect(sharedKeywords('bookmark this repository for later', names)).toEqual([]);
    expect(sharedKeywords('star the repos I like', names)).toEqual(['star', 'repo']);
    expect(sharedKeywords('list my reminders', ['reminders_list'])).toEqual(['list', 'remind']);
  });
});

describe('the discovery harness on a hand-made catalog', () => {
  const tasks = [
    task('create a pet record', ['create-pet'], 'dev'),
    task('delete pet', ['get-owner', 'delete-pet'], 'dev'),
    task('adopt a puppy', ['create-pet'], 'test'),
    task('qwerty zxcvb', ['list-pets'], 'test'),
  ];

  it('scores keyword search through the engine: ranks, halves and response tokens', async () => {
    const [bm25] = standardConfigurations(null);
    const searcher = await createSearcher(petsGroup(), bm25!);
    try {
      const results = await evaluateTasks(searcher, tasks, operationIdOf);
      expect(results.map((r) => r.outcome.rank)).toEqual([1, 1, null, null]);
      expect(results[0]!.returned[0]).toBe('create-pet');
      const response = await searcher.search('create a pet record');
      expect(results[0]!.outcome.tokens).toBe(countTokens(JSON.stringify(response)));
      const metrics = halves(results);
      expect(metrics.dev.recallAt1).toBe(1);
      expect(metrics.test.recallAt10).toBe(0);
      expect(metrics.all.mrr).toBe(0.5);
    } finally {
      await searcher.close();
    }
  });

  it('uses a plugged-in embeddings function in the default + provider configuration', async () => {
    // A toy provider: one dimension per concept, so "puppy" lands on the pet-creating function only.
    const concepts = [/pet|puppy|adopt/, /create|adopt/, /delete/, /owner/, /photo/];
    const embed = async (texts: string[]) =>
      texts.map((text) => concepts.map((pattern) => (pattern.test(text.toLowerCase()) ? 1 : 0.01)));
    const withProvider = standardConfigurations({ name: 'toy', embeddings: embed })[2]!;
    expect(withProvider.name).toBe('default+toy');
    const searcher = await createSearcher(petsGroup(), withProvider);
    try {
      const [adopt] = await evaluateTasks(searcher, [tasks[2]!], operationIdOf);
      expect(adopt!.outcome.rank).toBe(1);
    } finally {
      await searcher.close();
    }
  });
});
