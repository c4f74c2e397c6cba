import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

// The TypeScript lib .d.ts files are parsed (and bound, on first use) once per process and shared by
// every checker and program: they are by far the largest part of a program and never change.

const libDirectory = dirname(ts.getDefaultLibFilePath({}));
const parsed = new Map<string, ts.SourceFile | undefined>();

export function libDirectoryPath(): string {
  return libDirectory;
}

export function isLibFile(fileName: string): boolean {
  return dirname(fileName) === libDirectory || fileName.startsWith(`${libDirectory}/`);
}

/** The parsed lib file, or undefined when TypeScript has no such file. */
export function libSourceFile(fileName: string, languageVersion: ts.ScriptTarget): ts.SourceFile | undefined {
  const path = isLibFile(fileName) ? fileName : join(libDirectory, fileName);
  if (parsed.has(path)) return parsed.get(path);
  let source: ts.SourceFile | undefined;
  try {
    source = ts.createSourceFile(path, readFileSync(path, 'utf8'), languageVersion, false, ts.ScriptKind.TS);
  } catch {
    source = undefined;
  }
  parsed.set(path, source);
  return source;
}
