import type { FunctionEntry } from './compiled-group.js';
import { allTokens } from './tokenize.js';

// The text a function is embedded from: its name words, its summary and the start of its
// description, parameter names and tags. Long descriptions are cut: their tails (scopes, notes,
// links) blur what the function does.

const DESCRIPTION_LIMIT = 150;

function words(name: string): string {
  return allTokens(name).join(' ');
}

export function embeddingText(entry: FunctionEntry): string {
  const description = (entry.fn.description ?? '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, DESCRIPTION_LIMIT);
  const properties = entry.fn.inputSchema?.properties;
  const parameters =
    typeof properties === 'object' && properties !== null ? Object.keys(properties).join(' ') : '';
  const tags = (entry.fn.metadata?.tags ?? []).join(' ');
  return [
    words(entry.groupAlias),
    words(entry.name),
    entry.fn.name === entry.name ? '' : words(entry.fn.name),
    description,
    parameters,
    tags,
  ]
    .filter((part) => part !== '')
    .join('\n');
}
