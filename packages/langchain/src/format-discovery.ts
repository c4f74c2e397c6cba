import { type ExploreResponse, type SearchResult, searchResultCall } from '@agent-tool-protocol/protocol';
import { withToolPrefix } from './tool-names.js';
import { truncate } from './truncate.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Search hits as `api.<name>(…) — description` lines, best first. */
export function formatSearchResults(
  query: string,
  results: SearchResult[],
  maxChars: number,
  namePrefix = 'atp_',
): string {
  if (results.length === 0) {
    return withToolPrefix(
      `No API function matches "${query}". Try other words, or browse with atp_explore_api({ path: "/" }).`,
      namePrefix,
    );
  }
  const lines = results.map((hit) => {
    const description = hit.description ? ` — ${oneLine(hit.description)}` : '';
    return `- ${oneLine(searchResultCall(hit))}${description}`;
  });
  const header = withToolPrefix(
    `${results.length} API functions for "${query}" (call them in atp_execute_code exactly as written):`,
    namePrefix,
  );
  return truncate([header, ...lines].join('\n'), maxChars, 'Ask for fewer results or narrow the query.');
}

/** A directory listing, or one function's full TypeScript definition. */
export function formatExplore(response: ExploreResponse, maxChars: number, namePrefix = 'atp_'): string {
  if (response.type === 'directory') {
    if (response.items.length === 0) return `${response.path} is empty.`;
    const base = response.path.replace(/\/+$/, '');
    const items = response.items.map(
      (item) => `- ${base}/${item.name}${item.type === 'directory' ? '/' : ' (function)'}`,
    );
    return truncate(
      [`${response.path} holds:`, ...items].join('\n'),
      maxChars,
      withToolPrefix('Explore a deeper path, or use atp_search_api.', namePrefix),
    );
  }
  const text = [`${response.path}: ${oneLine(response.description)}`, response.definition].join('\n');
  return truncate(text, maxChars, 'The definition is long: read only the parts you need.');
}
