// Generated parts of hand-written documents. A section sits between `<!-- bench:NAME:begin -->` and
// `<!-- bench:NAME:end -->`; writing it replaces only what is between the markers, so the prose around
// it stays as written and every number inside comes from a run.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface DocSection {
  file: URL;
  name: string;
  content: string;
}

export const DOCS = {
  benchmarks: new URL('../../docs/benchmarks.md', import.meta.url),
  scenarios: new URL('../../docs/scenarios.md', import.meta.url),
  readme: new URL('../../README.md', import.meta.url),
};

const begin = (name: string) => `<!-- bench:${name}:begin -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

/** `text` with the section `name` replaced by `content`; throws when the markers are missing or out of order. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = text.indexOf(begin(name));
  const stop = text.indexOf(end(name));
  if (start === -1 || stop === -1 || stop < start)
    throw new Error(`No generated section "${name}": expected ${begin(name)} … ${end(name)}.`);
  const head = text.slice(0, start + begin(name).length);
  return `${head}\n${content.trim()}\n${text.slice(stop)}`;
}

/** Writes every section into its file (each file read and written once). */
export function writeSections(sections: readonly DocSection[]): void {
  const byFile = new Map<string, DocSection[]>();
  for (const section of sections) {
    const key = section.file.href;
    byFile.set(key, [...(byFile.get(key) ?? []), section]);
  }
  for (const [href, list] of byFile) {
    const file = new URL(href);
    let text = readFileSync(file, 'utf8');
    for (const section of list) text = replaceSection(text, section.name, section.content);
    writeFileSync(file, text);
  }
}

/** The machine, Node version and date a section's numbers were measured on. */
export function machineStamp(date = new Date()): string {
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  return `${machine}; Node ${process.version}; ${date.toISOString().slice(0, 10)}`;
}
