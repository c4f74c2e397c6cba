import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTION_VERBS,
  Catalog,
  encodeWordVectors,
  operationIntent,
  WordVectors,
} from '@agent-tool-protocol/catalog';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { builtinWordVectors, builtinWordVectorsPath } from '../src/builtin-word-vectors.js';

const noop = () => undefined;

describe('WordVectors file format', () => {
  it('round-trips words, weights and (quantized) directions', () => {
    const bytes = encodeWordVectors({
      words: ['alpha', 'beta', 'gamma'],
      weights: Float32Array.from([0.5, 1, 0.25]),
      dimensions: 2,
      vectors: [3, 4, -1, 0, 0, 0],
    });
    const vectors = new WordVectors(bytes);
    expect(vectors.size).toBe(3);
    expect(vectors.weightOf('beta')).toBe(1);
    expect(vectors.vectorOf('alpha')![0]).toBeCloseTo(0.6, 2);
    expect(vectors.similarity('alpha', 'beta')).toBeCloseTo(-0.6, 2);
    expect(vectors.vectorOf('delta')).toBeUndefined();
    expect(() => new WordVectors(bytes.subarray(0, 30))).toThrow(/bytes|header/);
  });
});

describe('the built-in API word vectors', () => {
  const vectors = builtinWordVectors();

  it('ship inside the package and load', () => {
    expect(readFileSync(builtinWordVectorsPath()).byteLength).toBeLessThan(8_000_000);
    expect(vectors.size).toBeGreaterThan(5_000);
    expect(vectors.dimensions).toBeGreaterThanOrEqual(64);
  });

  it('put related API words closer than unrelated ones', () => {
    expect(vectors.similarity('repo', 'repository')).toBeGreaterThan(vectors.similarity('repo', 'invoice'));
    expect(vectors.similarity('invoice', 'payment')).toBeGreaterThan(vectors.similarity('invoice', 'branch'));
    expect(vectors.similarity('channel', 'message')).toBeGreaterThan(vectors.similarity('channel', 'refund'));
  });

  it('rank a small hand-made catalog by meaning where the words differ', async () => {
    const group: APIGroup = {
      name: 'shop',
      type: 'custom',
      functions: [
        { name: 'listInvoices', description: 'List the invoices of an account', handler: noop },
        { name: 'createBranch', description: 'Create a git branch in a repository', handler: noop },
        { name: 'postMessage', description: 'Post a message to a chat channel', handler: noop },
        { name: 'refundPayment', description: 'Refund a captured payment', handler: noop },
        { name: 'getWeather', description: 'Current temperature and wind for a city', handler: noop },
      ],
    };
    const withVectors = new Catalog();
    const keywordOnly = new Catalog({ ranking: { wordVectors: false } });
    withVectors.addGroup(group);
    keywordOnly.addGroup(group);
    // No query word occurs in the wanted function's name or description.
    const cases: [string, string][] = [
      ['commit code to my repo', 'createBranch'],
      ['billing statements', 'listInvoices'],
      ['say something in the chat room', 'postMessage'],
    ];
    for (const [query, wanted] of cases) {
      const results = await withVectors.searchHybrid(query, { maxResults: 2 });
      expect(results[0]?.functionName).toBe(wanted);
    }
    expect(keywordOnly.search('billing statements')).toEqual([]);
  });
});

describe('the lexicon is the HTTP method and CRUD verb mapping only', () => {
  it('derives the action from the method and the path', () => {
    expect(operationIntent('POST', '/repos/{owner}/{repo}/issues')).toEqual({
      action: 'create',
      segments: ['repos', 'issues'],
    });
    expect(operationIntent('GET', '/repos/{owner}/{repo}/issues').action).toBe('list');
    expect(operationIntent('GET', '/repos/{owner}/{repo}/issues/{issue_number}').action).toBe('get');
    expect(operationIntent('PATCH', '/repos/{owner}/{repo}').action).toBe('update');
    expect(operationIntent('POST', '/v1/customers/{customer}').action).toBe('update');
    expect(operationIntent('DELETE', '/repos/{owner}/{repo}').action).toBe('delete');
    // RPC-style paths carry no REST semantics.
    expect(operationIntent('POST', '/chat.postMessage').action).toBeUndefined();
  });

  it('maps only the five CRUD actions to everyday verbs', () => {
    expect(Object.keys(ACTION_VERBS).sort()).toEqual(['create', 'delete', 'get', 'list', 'update']);
    const verbs = Object.values(ACTION_VERBS).flat();
    expect(verbs.length).toBeLessThanOrEqual(30);
  });

  it('has no word list taken from evaluation queries anywhere in the sources', () => {
    const sourceDir = join(__dirname, '..', 'src');
    const sources = readdirSync(sourceDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
    expect(sources.length).toBeGreaterThan(20);
    for (const word of ['stargazer', 'emoji', 'thumb', 'snippet', 'gist', 'left', 'chargeback', 'bookmark']) {
      for (const source of sources) expect(source).not.toMatch(new RegExp(`['"\`]${word}['"\`]`));
    }
    expect(readdirSync(join(__dirname, '..', 'src'))).not.toContain('concepts.ts');
  });
});
