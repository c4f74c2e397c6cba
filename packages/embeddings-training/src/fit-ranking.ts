// `pnpm --filter @agent-tool-protocol/embeddings-training fit-ranking [--vectors=<file>]` (after
// `pnpm build`): measures the catalog's ranking on pseudo-queries from APIs nobody evaluates on and
// the word vectors never saw (the fitting providers, corpus.ts), for a small grid of its fusion
// weights. Each operation's summary is the request; its function keeps the name, path, tags,
// parameters and the description without the summary. A request is "paraphrased" when it shares
// no content word with the operation's name (as the discovery evaluation's keyword-free tasks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog, type CatalogOptions, contentWords, WordVectors } from '@agent-tool-protocol/catalog';
import type { APIGroup, FunctionDef } from '@agent-tool-protocol/protocol';
import {
  type CorpusOperation,
  directoryApiFolder,
  fittingSpecFiles,
  operationsOf,
  readSpec,
} from './corpus.ts';
import { cleanProse } from './operation-words.ts';

interface PseudoQuery {
  query: string;
  expected: string;
  paraphrased: boolean;
}

interface FittingApi {
  group: APIGroup;
  queries: PseudoQuery[];
}

const noop = () => undefined;

function functionName(operation: CorpusOperation, index: number): string {
  const base = (operation.operationId ?? `${operation.method} ${operation.path}`).replace(
    /[^A-Za-z0-9_]+/g,
    '_',
  );
  return `${base || 'operation'}_${index}`;
}

/** The description without the summary (the request must not be found in its own text). */
function descriptionWithoutSummary(operation: CorpusOperation): string {
  const summary = cleanProse(operation.summary ?? '');
  const description = cleanProse(operation.description ?? '');
  if (summary === '') return description;
  const withoutSummary = description.startsWith(summary) ? description.slice(summary.length) : description;
  return withoutSummary.toLowerCase().includes(summary.toLowerCase()) ? '' : withoutSummary.trim();
}

export function fittingApis(apiFolder = directoryApiFolder()): FittingApi[] {
  const apis: FittingApi[] = [];
  const seen = new Set<string>();
  for (const file of fittingSpecFiles(apiFolder)) {
    const document = readSpec(join(apiFolder, file));
    if (!document) continue;
    // Versions of one API repeat each other: an operation seen before (same id, path and summary) is skipped.
    const operations = operationsOf(document).filter((operation) => {
      const key = `${operation.operationId ?? ''}|${operation.method} ${operation.path}|${operation.summary ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const functions: FunctionDef[] = [];
    const queries: PseudoQuery[] = [];
    operations.forEach((operation, index) => {
      const name = functionName(operation, index);
      const description = descriptionWithoutSummary(operation);
      functions.push({
        name,
        ...(description ? { description } : {}),
        inputSchema: {
          type: 'object',
          properties: Object.fromEntries(
            operation.parameters.map((parameter) => [parameter, { type: 'string' }]),
          ),
        },
        metadata: {
          method: operation.method,
          path: operation.path,
          ...(operation.operationId ? { operationId: operation.operationId } : {}),
          tags: operation.tags,
        },
        handler: noop,
      });
      const summary = cleanProse(operation.summary ?? '');
      const words = contentWords(summary);
      if (words.length < 2) return;
      const nameWords = new Set(contentWords(`${operation.operationId ?? ''} ${name}`));
      queries.push({
        query: summary,
        expected: name,
        paraphrased: words.every((word) => !nameWords.has(word)),
      });
    });
    if (functions.length >= 5 && functions.length <= 2_000 && queries.length > 0) {
      apis.push({ group: { name: `fit${apis.length}`, type: 'custom', functions }, queries });
    }
  }
  return apis;
}

export interface FitScores {
  queries: number;
  mrr: number;
  recallAt5: number;
  paraphrased: { queries: number; mrr: number; recallAt5: number };
}

export async function scoreRanking(
  apis: readonly FittingApi[],
  ranking: CatalogOptions['ranking'],
): Promise<FitScores> {
  const all = { n: 0, rr: 0, r5: 0 };
  const para = { n: 0, rr: 0, r5: 0 };
  for (const api of apis) {
    const catalog = new Catalog({ ...(ranking ? { ranking } : {}), validateInputs: false });
    catalog.addGroup(api.group);
    for (const { query, expected, paraphrased } of api.queries) {
      const results = await catalog.searchHybrid(query, { maxResults: 10 });
      const rank = results.findIndex((result) => result.functionName === expected) + 1;
      for (const bucket of paraphrased ? [all, para] : [all]) {
        bucket.n++;
        if (rank > 0) bucket.rr += 1 / rank;
        if (rank > 0 && rank <= 5) bucket.r5++;
      }
    }
  }
  const share = (value: number, n: number) => (n === 0 ? 0 : value / n);
  return {
    queries: all.n,
    mrr: share(all.rr, all.n),
    recallAt5: share(all.r5, all.n),
    paraphrased: { queries: para.n, mrr: share(para.rr, para.n), recallAt5: share(para.r5, para.n) },
  };
}

async function main(): Promise<void> {
  const vectorsFile = process.argv.find((arg) => arg.startsWith('--vectors='))?.slice('--vectors='.length);
  const wordVectors = vectorsFile ? new WordVectors(readFileSync(vectorsFile)) : undefined;
  const apis = fittingApis();
  const write = (text: string) => process.stdout.write(`${text}\n`);
  write(
    `fitting APIs: ${apis.length}, functions ${apis.reduce((sum, api) => sum + api.group.functions.length, 0)}, ` +
      `requests ${apis.reduce((sum, api) => sum + api.queries.length, 0)} ` +
      `(${apis.reduce((sum, api) => sum + api.queries.filter((query) => query.paraphrased).length, 0)} paraphrased)`,
  );
  write('| wordVectorWeight | expansionWeight | MRR | R@5 | paraphrased MRR | paraphrased R@5 |');
  write('| ---: | ---: | ---: | ---: | ---: | ---: |');
  const grid: { wordVectorWeight?: number; expansionWeight?: number; off?: true }[] = [{ off: true }];
  for (const wordVectorWeight of [0.3, 0.6, 1, 1.5, 2.5])
    for (const expansionWeight of [0, 0.25, 0.5, 1]) grid.push({ wordVectorWeight, expansionWeight });
  for (const point of grid) {
    const ranking = point.off
      ? { wordVectors: false as const }
      : {
          ...(wordVectors ? { wordVectors } : {}),
          wordVectorWeight: point.wordVectorWeight!,
          expansionWeight: point.expansionWeight!,
        };
    const scores = await scoreRanking(apis, ranking);
    const f = (value: number) => value.toFixed(3);
    write(
      `| ${point.off ? 'no vectors' : point.wordVectorWeight} | ${point.off ? '–' : point.expansionWeight} | ` +
        `${f(scores.mrr)} | ${f(scores.recallAt5)} | ${f(scores.paraphrased.mrr)} | ${f(scores.paraphrased.recallAt5)} |`,
    );
  }
}

if (process.argv[1]?.endsWith('fit-ranking.ts')) await main();
