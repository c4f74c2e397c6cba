import {
  countTokens,
  createSearcher,
  loadSpecCatalog,
  standardConfigurations,
} from '../src/discovery-eval/harness.ts';
import { EVAL_SPECS } from '../src/discovery-eval/specs.ts';

// Issue 22: an agent reads the top ten results and picks, so a 10-result page of /api/search must
// cost at most 600 tokens while carrying name, signature and description. Checked on GitHub's real
// spec (the largest descriptions and signatures of the four) with requests of every kind.
const QUERIES = [
  'create an issue',
  'list pull requests of a repository',
  'delete a webhook',
  'get the authenticated user',
  'add a collaborator',
  'download a release asset',
  'update branch protection',
  'search code',
  'list organization members',
  'cancel a workflow run',
];

describe('the search result page', () => {
  it('carries name, signature and description in at most 600 tokens per 10 results (GitHub)', async () => {
    const spec = EVAL_SPECS.find((candidate) => candidate.name === 'github')!;
    const { group } = await loadSpecCatalog(spec);
    const searcher = await createSearcher(group, standardConfigurations(null)[1]!);
    try {
      const tokens: number[] = [];
      for (const query of QUERIES) {
        const response = await searcher.search(query);
        expect(response.results).toHaveLength(10);
        for (const result of response.results) {
          expect(result.name).toBe(`github.${result.functionName}`);
          expect(result.signature).toMatch(/^\(.*\)/);
          expect(result.description.length).toBeLessThanOrEqual(65);
        }
        tokens.push(countTokens(JSON.stringify(response)));
      }
      const mean = tokens.reduce((sum, count) => sum + count, 0) / tokens.length;
      expect(mean).toBeLessThanOrEqual(600);
    } finally {
      await searcher.close();
    }
  }, 120_000);
});
