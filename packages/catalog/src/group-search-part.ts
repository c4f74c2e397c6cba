import type { CompiledGroup } from './compiled-group.js';
import { embeddingTextOf, SEARCH_FIELDS, type SearchField, searchFields } from './search-documents.js';
import type { TermDictionary } from './term-dictionary.js';
import type { TermVectors } from './term-vectors.js';
import { searchWords } from './tokenize.js';

// What search precomputes for one registered group, once: each function's fields as term ids and,
// with word vectors, its document vector. A catalog version's indexes are assembled from these
// parts, so adding or replacing a group costs that group's functions only.

export interface GroupSearchPart {
  /** Alias paths (`github.issues.create`), in the group's order. */
  readonly ids: readonly string[];
  /** Per function, the term ids of each of SEARCH_FIELDS, in that order. */
  readonly fieldTerms: readonly (readonly Int32Array[])[];
  /** Per function `dimensions` values (unit length, zeros when no word has a vector); with word vectors only. */
  readonly vectors?: Float32Array;
  /** What an embeddings provider embeds, per function; only when one is configured. */
  readonly embeddingTexts?: readonly string[];
}

export interface PartContext {
  dictionary: TermDictionary;
  /** Word vectors and the weight of each field (SEARCH_FIELDS order) in a document's vector. */
  termVectors?: { table: TermVectors; fieldWeights: readonly number[] };
  embeddingTexts: boolean;
}

const REPEATING_FIELDS: ReadonlySet<SearchField> = new Set(['action', 'path', 'tags', 'parameters', 'group']);

/** Functions handled between two yields of `buildGroupPart` (each yield lets the event loop run). */
export const PART_CHUNK = 256;

/**
 * Builds a group's part, yielding after every `PART_CHUNK` functions: run it to the end at once
 * (`buildGroupPartNow`) or a chunk per event-loop turn (a server building in the background).
 */
export function* buildGroupPart(
  compiled: CompiledGroup,
  context: PartContext,
): Generator<void, GroupSearchPart> {
  const { dictionary, termVectors } = context;
  const entries = compiled.entries;
  const ids: string[] = [];
  const fieldTerms: Int32Array[][] = [];
  const texts: string[] = [];
  const dimensions = termVectors?.table.dimensions ?? 0;
  const vectors = termVectors ? new Float32Array(entries.length * dimensions) : undefined;
  // Short fields (path, tags, parameters, group and namespace descriptions) repeat across a group's
  // functions: each distinct text is tokenized once.
  const repeated = new Map<string, Int32Array>();
  const termsOf = (field: SearchField, text: string) => {
    if (!REPEATING_FIELDS.has(field)) return dictionary.internAll(searchWords(text));
    let terms = repeated.get(text);
    if (!terms) {
      terms = dictionary.internAll(searchWords(text));
      repeated.set(text, terms);
    }
    return terms;
  };
  for (let index = 0; index < entries.length; index++) {
    if (index > 0 && index % PART_CHUNK === 0) yield;
    const entry = entries[index]!;
    const fields = searchFields(entry);
    const terms = SEARCH_FIELDS.map((field) => termsOf(field, fields[field]));
    ids.push(entry.path);
    fieldTerms.push(terms);
    if (context.embeddingTexts) texts.push(embeddingTextOf(entry, fields));
    if (termVectors && vectors) {
      termVectors.table.textVector(
        terms,
        termVectors.fieldWeights,
        vectors.subarray(index * dimensions, (index + 1) * dimensions),
      );
    }
  }
  const part: GroupSearchPart = {
    ids,
    fieldTerms,
    ...(vectors ? { vectors } : {}),
    ...(context.embeddingTexts ? { embeddingTexts: texts } : {}),
  };
  return part;
}

/** The whole part at once. */
export function buildGroupPartNow(compiled: CompiledGroup, context: PartContext): GroupSearchPart {
  const steps = buildGroupPart(compiled, context);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
