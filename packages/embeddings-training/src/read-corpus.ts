import { join } from 'node:path';
import {
  type CorpusOperation,
  directoryApiFolder,
  EVALUATION_SPEC_FILES,
  operationsOf,
  readSpec,
  resolvePackageFile,
  trainingSpecFiles,
} from './corpus.ts';
import { cleanProse, type OperationWords, operationWords } from './operation-words.ts';

// Reads the training specs into word lists, one per distinct operation, and drops near copies of
// the evaluation's specs: a spec most of whose operation texts appear verbatim in an evaluation
// spec, and any single operation whose description does.

export interface TrainingDocument {
  /** Provider folder or file (`googleapis.com`), to count in how many APIs a word occurs. */
  provider: string;
  words: OperationWords;
}

export interface CorpusReport {
  files: number;
  unreadable: number;
  nearCopies: string[];
  operations: number;
  duplicateOperations: number;
  copiedOperations: number;
  documents: TrainingDocument[];
}

const NEAR_COPY_SHARE = 0.3;
const MIN_COPIED_TEXT = 40;

function textsOf(operation: CorpusOperation): string[] {
  return [operation.summary, operation.description]
    .map((text) => cleanProse(text ?? '').toLowerCase())
    .filter((text) => text.length >= MIN_COPIED_TEXT);
}

/** Summaries and descriptions (cleaned, lowercased, at least 40 characters) of the evaluation's specs. */
export function evaluationTexts(): Set<string> {
  const texts = new Set<string>();
  for (const specifier of EVALUATION_SPEC_FILES) {
    const document = readSpec(resolvePackageFile(specifier));
    if (!document) throw new Error(`cannot read the evaluation spec ${specifier}`);
    for (const operation of operationsOf(document)) for (const text of textsOf(operation)) texts.add(text);
  }
  return texts;
}

export function readCorpus(apiFolder = directoryApiFolder()): CorpusReport {
  const forbidden = evaluationTexts();
  const files = trainingSpecFiles(apiFolder);
  const seen = new Set<string>();
  const report: CorpusReport = {
    files: files.length,
    unreadable: 0,
    nearCopies: [],
    operations: 0,
    duplicateOperations: 0,
    copiedOperations: 0,
    documents: [],
  };
  for (const file of files) {
    const document = readSpec(join(apiFolder, file));
    if (!document) {
      report.unreadable++;
      continue;
    }
    const operations = operationsOf(document);
    const copied = operations.filter((operation) => textsOf(operation).some((text) => forbidden.has(text)));
    if (operations.length > 0 && copied.length / operations.length >= NEAR_COPY_SHARE) {
      report.nearCopies.push(file);
      continue;
    }
    const provider = file.split('/')[0]!.replace(/\.json$/, '');
    for (const operation of operations) {
      report.operations++;
      if (textsOf(operation).some((text) => forbidden.has(text))) {
        report.copiedOperations++;
        continue;
      }
      const words = operationWords(operation);
      const key = [words.head, words.summary, words.body].map((part) => part.join(' ')).join('|');
      if (seen.has(key)) {
        report.duplicateOperations++;
        continue;
      }
      seen.add(key);
      report.documents.push({ provider, words });
    }
  }
  return report;
}
