import { contentWords, operationIntent } from '@agent-tool-protocol/catalog';
import type { CorpusOperation } from './corpus.ts';

// The words of one training operation, by field, as the catalog sees a function: its name, the
// action and path words its method and path imply, tags, summary, the start of its description and
// its parameter names.

export interface OperationWords {
  /** operationId words and the action word (create, list, …). */
  head: string[];
  /** Summary, or the description's first sentence when there is no summary. */
  summary: string[];
  /** The rest: path words, tags, description, parameter names. */
  body: string[];
}

const DESCRIPTION_LIMIT = 600;

export function cleanProse(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstSentence(text: string): string {
  const match = /^(.{10,}?[.!?])(\s|$)/.exec(text);
  return match ? match[1]! : text.slice(0, 160);
}

export function operationWords(operation: CorpusOperation): OperationWords {
  const intent = operationIntent(operation.method, operation.path);
  const description = cleanProse(operation.description ?? '').slice(0, DESCRIPTION_LIMIT);
  const summaryText = operation.summary ? cleanProse(operation.summary) : firstSentence(description);
  const descriptionText =
    operation.summary || !description.startsWith(summaryText)
      ? description
      : description.slice(summaryText.length);
  return {
    head: [...contentWords(operation.operationId ?? ''), ...(intent.action ? [intent.action] : [])],
    summary: contentWords(summaryText),
    body: [
      ...contentWords(intent.segments.join(' ')),
      ...contentWords(operation.tags.join(' ')),
      ...contentWords(descriptionText),
      ...contentWords(operation.parameters.join(' ')),
    ],
  };
}
