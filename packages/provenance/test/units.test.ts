import {
  compileGlob,
  coveredBy,
  ProxyRegistry,
  parseSandboxLabels,
  RateLimiter,
  ReadersMap,
} from '../src/index.js';

describe('globs over group.function', () => {
  it('* stays within a segment, ** crosses segments', () => {
    expect(compileGlob('github.*').test('github.search')).toBe(true);
    expect(compileGlob('github.*').test('github.issues.create')).toBe(false);
    expect(compileGlob('github.**').test('github.issues.create')).toBe(true);
    expect(compileGlob('*.delete*').test('crm.deleteAll')).toBe(true);
    expect(compileGlob('a.b').test('aXb')).toBe(false);
  });
});

describe('readers', () => {
  const readers = new ReadersMap({
    user: ['alice@corp.com', '@home.example'],
    readers: { 'crm.**': ['user', 'sales@corp.com'], 'wiki.*': 'public' },
    metadataOf: (tool) => (tool === 'news.top' ? { sensitivity: 'public' } : undefined),
  });

  it('maps sources to readers, failing closed for unknown tools', () => {
    expect(readers.readersOf('user')).toBe('public');
    expect(readers.readersOf('llm')).toBe('public');
    expect(readers.readersOf('tool:wiki.page')).toBe('public');
    expect(readers.readersOf('tool:news.top')).toBe('public');
    expect([...(readers.readersOf('tool:unknown.fn') as Set<string>)]).toEqual([
      'user',
      'alice@corp.com',
      '@home.example',
    ]);
    expect(readers.readersOf('tool:crm.contacts.list')).toEqual(
      new Set(['user', 'alice@corp.com', '@home.example', 'sales@corp.com']),
    );
    expect(readers.readersOf('cache')).toEqual(readers.readersOf('tool:unknown.fn'));
  });

  it('intersects the readers of several sources', () => {
    const both = readers.readersOfAll(['tool:crm.x', 'tool:mail.read']);
    expect(both).toEqual(new Set(['user', 'alice@corp.com', '@home.example']));
    expect(readers.readersOfAll(['tool:wiki.page', 'llm'])).toBe('public');
  });

  it('matches recipients exactly, by @domain, and by URL host', () => {
    const set = new Set(['alice@corp.com', '@home.example']);
    expect(coveredBy('ALICE@corp.com', set)).toBe(true);
    expect(coveredBy('bob@home.example', set)).toBe(true);
    expect(coveredBy('https://home.example/hook', set)).toBe(true);
    expect(coveredBy('bob@evilhome.example', set)).toBe(false);
    expect(coveredBy('alice@corp.com.evil.example', set)).toBe(false);
    expect(coveredBy('anyone', 'public')).toBe(true);
  });
});

describe('sandbox labels', () => {
  it('parses the tracker payload and rejects anything malformed', () => {
    expect(
      parseSandboxLabels({
        v: 1,
        leaves: [
          [['to'], ['tool:a.b']],
          [['x', 0], ['llm'], 1],
        ],
      }),
    ).toEqual([
      { path: ['to'], sources: ['tool:a.b'], isKey: false },
      { path: ['x', 0], sources: ['llm'], isKey: true },
    ]);
    expect(parseSandboxLabels(undefined)).toBeUndefined();
    expect(parseSandboxLabels({ v: 2, leaves: [] })).toBeUndefined();
    expect(parseSandboxLabels({ v: 1, leaves: [[['to'], [5]]] })).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('sliding windows per client and tool; per-execution counts', () => {
    const limiter = new RateLimiter();
    const rules = [{ tools: 'mail.send', max: 2, per: 'minute' as const }];
    expect(limiter.take(rules, 'mail.send', 'c1', 'x1', 0)).toBeUndefined();
    expect(limiter.take(rules, 'mail.send', 'c1', 'x2', 1000)).toBeUndefined();
    expect(limiter.take(rules, 'mail.send', 'c1', 'x3', 2000)).toEqual(rules[0]);
    expect(limiter.take(rules, 'mail.send', 'c2', 'x4', 2000)).toBeUndefined();
    expect(limiter.take(rules, 'mail.send', 'c1', 'x5', 60_001)).toBeUndefined();
    const perExecution = [{ tools: ['a.*'], max: 1, per: 'execution' as const }];
    expect(limiter.take(perExecution, 'a.b', 'c', 'e1')).toBeUndefined();
    expect(limiter.take(perExecution, 'a.b', 'c', 'e1')).toEqual(perExecution[0]);
    expect(limiter.take(perExecution, 'a.b', 'c', 'e2')).toBeUndefined();
  });
});

describe('ProxyRegistry', () => {
  it('labels equal, containing and contained strings; ignores short substrings', () => {
    const registry = new ProxyRegistry(8);
    registry.record('x', 'tool:mail.read', { body: 'the code is 123456789', id: 7 });
    const leaves = registry.labels('x', {
      a: 'the code is 123456789',
      b: 'FYI: the code is 123456789!',
      c: '123456789',
      d: 'code',
      e: 7,
    });
    expect(leaves.map((leaf) => leaf.path[0])).toEqual(['a', 'b', 'c', 'e']);
    expect(registry.labels('other', { a: 'the code is 123456789' })).toEqual([]);
  });
});
