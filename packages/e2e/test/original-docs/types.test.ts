import { join } from 'node:path';
import { typecheck } from '@agent-tool-protocol/testing';
import ts from 'typescript';
import { SNIPPETS, type Snippet } from './snippets';

// Each TypeScript program of the README and the blog type-checks, as written, against the packages' built
// declarations, with the compiler settings of an ordinary strict ESM consumer project.

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: ['node'],
  esModuleInterop: true,
  skipLibCheck: true,
};

const fileOf = (id: string) => join(__dirname, 'snippets', `${id}.ts`);

/** `line:column message` (first line of the message), with lines counted within the snippet's code. */
function diagnosticsOf(all: string[], snippet: Snippet): string[] {
  const file = fileOf(snippet.id);
  const offset = snippet.context.split('\n').length - 1;
  return all
    .filter((line) => line.startsWith(`${file}:`))
    .map((line) => {
      const [, row, column, message] = line.slice(file.length).match(/^:(\d+):(\d+) ([^\n]*)/)!;
      return `${Number(row) - offset}:${column} ${message}`;
    });
}

let diagnostics: string[];
beforeAll(() => {
  const files = Object.fromEntries(SNIPPETS.map((s) => [fileOf(s.id), `${s.context}${s.code}`]));
  diagnostics = typecheck(files, OPTIONS);
}, 120_000);

describe.each(SNIPPETS)('$id $source › $heading', (snippet) => {
  test('type-checks as written', () => {
    const found = diagnosticsOf(diagnostics, snippet);
    const foreign = (snippet.foreign ?? []).map((entry) => entry.split(' (')[0]!);
    expect(found).toEqual(foreign);
  });
});

test('the check is not vacuous: a misspelt option is reported', () => {
  const file = fileOf('misuse');
  const found = typecheck(
    {
      [file]:
        "import { createServer } from '@agent-tool-protocol/server';\ncreateServer({ execution: { timeout: 'soon' } });\n",
    },
    OPTIONS,
  );
  expect(found.join('\n')).toMatch(/misuse\.ts:2:.*not assignable to type 'number'/);
}, 60_000);
