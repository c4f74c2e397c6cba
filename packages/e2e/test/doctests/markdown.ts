import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';

/** A fenced code block marked to run: ```` ```ts doctest file=server.ts ```` */
export interface DocBlock {
  /** The first word of the info string: ts, js, sh, bash, yaml, … */
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
  /** Attributes after `doctest`: `file=server.ts`, `background`, `wait="listening on"`, `expect=…`. */
  attrs: Record<string, string | true>;
}

const markdown = new MarkdownIt();
const ATTRIBUTE = /([\w-]+)(?:=("[^"]*"|'[^']*'|\S+))?/g;

/**
 * The blocks of a markdown page whose fence info string has the word `doctest` after the language,
 * in page order. GitHub highlights such a block by its first word and ignores the rest.
 */
export function doctestBlocks(text: string): DocBlock[] {
  return markdown
    .parse(text, {})
    .filter((token) => token.type === 'fence')
    .flatMap((token) => {
      const [lang = '', ...rest] = token.info.trim().split(/\s+/);
      if (rest[0] !== 'doctest') return [];
      const attrs: Record<string, string | true> = {};
      for (const match of rest.slice(1).join(' ').matchAll(ATTRIBUTE)) {
        const [, key, raw] = match;
        attrs[key as string] = raw === undefined ? true : raw.replace(/^(["'])(.*)\1$/, '$2');
      }
      return [{ lang, code: token.content, line: (token.map?.[0] ?? 0) + 1, attrs }];
    });
}

export function doctestBlocksOf(path: string): DocBlock[] {
  return doctestBlocks(readFileSync(path, 'utf8'));
}
