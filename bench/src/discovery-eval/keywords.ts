import { stemmer } from 'stemmer';

// "Keyword-free" tasks: a task shares no content keyword with any of its acceptable operations'
// names (operationId and the function path the loader gives it). Words are split on case changes
// and punctuation, lower-cased, Porter-stemmed (`stemmer`), and English function words dropped.
// The rule is mechanical on purpose: it decides nothing about meaning, only about shared words.

const STOP_WORDS = new Set(
  (
    'a an the of for to in on by at as from with into onto over under up out off about and or but not no nor ' +
    'is are was were be been being am do does did done has have had having can could will would shall should ' +
    'may might must i me my mine we us our ours you your yours he him his she her hers it its they them their ' +
    'theirs this that these those there here what which who whom whose when where why how all any each every ' +
    'some so than then too very just only also via per if else s t let lets please want need'
  ).split(' '),
);

/** Words of an identifier or a sentence: `getByUsername` → get, by, username; `chat_postMessage` → chat, post, message. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Stemmed content keywords of `text` (stop words and bare numbers dropped). */
export function contentKeywords(text: string): Set<string> {
  const keywords = new Set<string>();
  for (const word of words(text)) {
    if (STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    keywords.add(stemmer(word));
  }
  return keywords;
}

/** The content keywords `query` shares with `names` (operationIds and function paths). */
export function sharedKeywords(query: string, names: readonly string[]): string[] {
  const nameKeywords = new Set(names.flatMap((name) => [...contentKeywords(name)]));
  return [...contentKeywords(query)].filter((keyword) => nameKeywords.has(keyword));
}
