import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type DocBlock, doctestBlocks, doctestBlocksOf } from './markdown';
import { REPO, runPage, typecheckPages } from './runner';

// Every markdown page of the repository that has ```<lang> doctest blocks; see docs/doctests.md.
function pages(): string[] {
  const inDir = (dir: string, depth = 1): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const path = join(dir, entry.name);
          if (entry.isFile() && entry.name.endsWith('.md')) return [path];
          if (entry.isDirectory() && depth > 0 && !['node_modules', 'api', 'examples'].includes(entry.name))
            return inDir(path, depth - 1);
          return [];
        })
      : [];
  return [
    join(REPO, 'README.md'),
    ...inDir(join(REPO, 'docs')),
    ...readdirSync(join(REPO, 'examples')).map((name) => join(REPO, 'examples', name, 'README.md')),
    ...readdirSync(join(REPO, 'packages')).map((name) => join(REPO, 'packages', name, 'README.md')),
  ].filter((path) => existsSync(path));
}

const marked = pages()
  .map((page) => ({ page, blocks: doctestBlocksOf(page) }))
  .filter(({ blocks }) => blocks.length > 0);

jest.setTimeout(300_000);

describe('doc tests: every marked code block in the docs runs', () => {
  let typeErrors: Map<string, string>;
  // Every page's TypeScript in one compiler run; each page's test reports its own errors.
  beforeAll(async () => {
    typeErrors = await typecheckPages(marked);
    const unattributed = typeErrors.get('(doc tests)');
    if (unattributed) throw new Error(unattributed);
  }, 300_000);

  it('finds the marked blocks of README.md and docs/getting-started.md', () => {
    const names = marked.map(({ page }) => relative(REPO, page));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'docs/getting-started.md']));
  });

  it.each(marked.map(({ page, blocks }) => [relative(REPO, page), page, blocks] as const))(
    '%s',
    async (_name, page, blocks: DocBlock[]) => {
      await runPage(page, blocks, typeErrors);
    },
  );
});

describe('doctest markup', () => {
  it('reads the language, the doctest word and attributes; ignores unmarked blocks', () => {
    const blocks = doctestBlocks(
      [
        '```ts',
        'not marked',
        '```',
        '',
        '```ts doctest file=server.ts',
        'const a = 1;',
        '```',
        '',
        '```sh doctest background wait="listening on" expect=ok',
        'atp serve',
        '```',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { lang: 'ts', code: 'const a = 1;\n', line: 5, attrs: { file: 'server.ts' } },
      {
        lang: 'sh',
        code: 'atp serve\n',
        line: 9,
        attrs: { background: true, wait: 'listening on', expect: 'ok' },
      },
    ]);
  });
});
