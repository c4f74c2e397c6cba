import type { FunctionEntry } from './compiled-group.js';
import { operationIntent } from './operation-intent.js';
import { allTokens } from './tokenize.js';

// What search reads of a function, field by field: its names, the action and path words its HTTP
// method and path imply, the summary (the description's first paragraph or sentence), the rest of
// the description, tags, parameter names and its group's (and namespace's) own description.

export const SEARCH_FIELDS = [
  'name',
  'action',
  'path',
  'summary',
  'description',
  'tags',
  'parameters',
  'group',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export type SearchFields = Record<SearchField, string>;

const DESCRIPTION_LIMIT = 600;

function words(name: string): string {
  return allTokens(name).join(' ');
}

/** Markdown links, HTML tags, code and URLs removed; whitespace collapsed. */
export function plainText(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The description's first paragraph, or its first sentence when that paragraph is long. */
export function summaryOf(description: string): string {
  const paragraph = plainText(description.split(/\n\s*\n/)[0] ?? '');
  if (paragraph.length <= 160) return paragraph;
  const sentence = /^(.{10,}?[.!?])(\s|$)/.exec(paragraph);
  return sentence ? sentence[1]! : paragraph.slice(0, 160);
}

const SHORT_DESCRIPTION = 64;

/** A search result's description: the summary, cut at a word to about 64 characters. */
export function shortDescription(description: string): string {
  const summary = summaryOf(description);
  if (summary.length <= SHORT_DESCRIPTION) return summary;
  const cut = summary.slice(0, SHORT_DESCRIPTION);
  const space = cut.lastIndexOf(' ');
  return `${(space > 32 ? cut.slice(0, space) : cut).replace(/[\s,;:.(-]+$/, '')}…`;
}

function string(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function searchFields(entry: FunctionEntry): SearchFields {
  const fn = entry.fn;
  const metadata = fn.metadata ?? {};
  const description = fn.description ?? '';
  const summary = summaryOf(description);
  const rest = plainText(description);
  const body = rest.startsWith(summary) ? rest.slice(summary.length) : rest;
  const intent = operationIntent(string(metadata.method) || undefined, string(metadata.path) || undefined);
  const operationId = string(metadata.operationId);
  const properties = fn.inputSchema?.properties;
  const namespace = entry.segments.length > 1 ? entry.segments[0]! : '';
  const namespaces = entry.group.metadata?.namespaces as Record<string, unknown> | undefined;
  return {
    name: [...new Set([entry.name, fn.name, operationId].flatMap((name) => allTokens(name)))].join(' '),
    action: intent.action ?? '',
    path: intent.segments.join(' '),
    summary,
    description: body.slice(0, DESCRIPTION_LIMIT),
    tags: (fn.metadata?.tags ?? []).join(' '),
    parameters:
      typeof properties === 'object' && properties !== null ? Object.keys(properties).join(' ') : '',
    group: [
      entry.group.name,
      entry.groupAlias === entry.group.name ? '' : entry.groupAlias,
      entry.group.description ?? '',
      string(namespaces?.[namespace]),
    ].join(' '),
  };
}

/** The text an embeddings provider embeds for a function: names, action, summary, parameters, tags. */
export function embeddingText(entry: FunctionEntry): string {
  const fields = searchFields(entry);
  return [
    words(entry.groupAlias),
    fields.name,
    fields.action,
    fields.summary,
    fields.description.slice(0, 150),
    fields.parameters,
    fields.tags,
  ]
    .filter((part) => part !== '')
    .join('\n');
}
