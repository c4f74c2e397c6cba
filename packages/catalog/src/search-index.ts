import type { GroupSearchPart } from './group-search-part.js';
import {
  createTokenizedKeywordIndex,
  type KeywordIndex,
  type TokenizedDocument,
  type TokenizedField,
} from './keyword-index.js';
import { SEARCH_FIELDS, type SearchField } from './search-documents.js';
import type { SemanticDocument } from './semantic-search.js';
import type { TermDictionary } from './term-dictionary.js';
import { WordVectorRanker, type WordVectorRankerOptions } from './word-vector-ranker.js';
import type { WordVectors } from './word-vectors.js';

// The search indexes of one catalog version, assembled from the registered groups' precomputed
// parts (group-search-part.ts): the BM25F keyword index, the word-vector ranker and the texts an
// embeddings provider embeds. Assembly is linear in the number of tokens and copies vectors once.

/** BM25F field weights: what a function is called and does count more than prose and parameters. */
export const KEYWORD_FIELD_WEIGHTS: Readonly<Record<SearchField, number>> = {
  name: 3,
  action: 2,
  path: 1,
  summary: 2,
  description: 0.5,
  tags: 1,
  parameters: 0.3,
  group: 0.2,
};

export interface SearchIndex {
  readonly size: number;
  readonly keywords: KeywordIndex;
  /** Undefined without word vectors. */
  readonly ranker: WordVectorRanker | undefined;
  /** Function texts for an embeddings provider (empty when the parts were built without them). */
  readonly semanticDocuments: SemanticDocument[];
}

export function assembleSearchIndex(
  parts: readonly GroupSearchPart[],
  dictionary: TermDictionary,
  vectors: WordVectors | undefined,
  rankerOptions: WordVectorRankerOptions = {},
): SearchIndex {
  const ids = parts.flatMap((part) => part.ids);
  const documents: TokenizedDocument[] = [];
  for (const part of parts) {
    for (let doc = 0; doc < part.ids.length; doc++) {
      const terms = part.fieldTerms[doc]!;
      documents.push({
        id: part.ids[doc]!,
        fields: SEARCH_FIELDS.map(
          (field, slot): TokenizedField => ({
            terms: terms[slot]!,
            weight: KEYWORD_FIELD_WEIGHTS[field],
            slot,
          }),
        ),
      });
    }
  }
  const keywords = createTokenizedKeywordIndex(documents, dictionary);
  let ranker: WordVectorRanker | undefined;
  if (vectors) {
    const dimensions = vectors.dimensions;
    const matrix = new Float32Array(ids.length * dimensions);
    let offset = 0;
    for (const part of parts) {
      if (!part.vectors || part.vectors.length !== part.ids.length * dimensions)
        throw new Error('search index: a group part was built without word vectors');
      matrix.set(part.vectors, offset);
      offset += part.vectors.length;
    }
    ranker = new WordVectorRanker(vectors, ids, matrix, keywords, rankerOptions);
  }
  const semanticDocuments = parts.flatMap((part) =>
    (part.embeddingTexts ?? []).map((text, doc) => ({ id: part.ids[doc]!, text })),
  );
  return { size: ids.length, keywords, ranker, semanticDocuments };
}
