// Search tokens: words of names and prose, lowercased and lightly stemmed so that
// `listUsers`, `list_users`, `users.list` and "list the users" share the tokens `list` and `user`.

const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'i',
  'in',
  'is',
  'it',
  'me',
  'my',
  'of',
  'on',
  'or',
  'that',
  'the',
  'this',
  'to',
  'with',
]);

const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** Strips plural endings: `users` → `user`, `repositories` → `repository`, `boxes` → `box`. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** Every token of `text`, in order, stop words included. */
export function allTokens(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => stem(word.toLowerCase()));
}

/** Tokens of `text` without stop words (all of them when every token is a stop word). */
export function tokenize(text: string): string[] {
  const tokens = allTokens(text);
  const meaningful = tokens.filter((token) => !STOP_WORDS.has(token));
  return meaningful.length > 0 ? meaningful : tokens;
}

// English function words carry no meaning for matching a request to a function. The keyword index
// drops the short list above (its IDF discounts the rest); vectors have no IDF, so the word-vector
// model and the hashing embedder drop this longer one.
const FILLER_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do doe doing down during each either else ever few for from further ' +
    'had ha have having he her here hers him his how i if in into is it its itself just may me might more most ' +
    'must my myself need no nor not now of off on once only or other our ours out over own per same shall she ' +
    'should so some such than that the their theirs them then there these they this those through thu to too ' +
    'under until up upon us use used using very via wa want we were what when where whether while who whom ' +
    'why will with within without would you your yours'
  ).split(' '),
);

/** Tokens of `text` that carry meaning: no function words, single letters or bare numbers. */
export function contentWords(text: string): string[] {
  return allTokens(text).filter(
    (token) => token.length > 1 && !FILLER_WORDS.has(token) && !/^[0-9]+$/.test(token),
  );
}

/** Tokens the keyword index matches on: no function words (all tokens when nothing else is left). */
export function searchWords(text: string): string[] {
  const tokens = allTokens(text);
  const meaningful = tokens.filter((token) => !FILLER_WORDS.has(token));
  return meaningful.length > 0 ? meaningful : tokens;
}
