import { usageError } from './errors.js';

/**
 * Splits `npx -y "@scope/server" '/a dir'` into words the way a POSIX shell would for plain words,
 * single quotes, double quotes and backslash escapes (no variables, globs or operators).
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < text.length) current += text[++index];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < text.length) {
      current += text[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote) throw usageError(`Unclosed ${quote} quote in "${text}"`);
  if (inWord) words.push(current);
  return words;
}

/** `name=value` → `[name, value]`; the flag is named in the error when there is no `=`. */
export function splitNameValue(flag: string, text: string, example: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw usageError(`${flag} expects name=value, e.g. ${flag} ${example} (got "${text}")`);
  }
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}
