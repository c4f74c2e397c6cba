import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { DocBlock } from './markdown';

const run = promisify(execFile);
export const REPO = join(__dirname, '..', '..', '..', '..');
const E2E = join(REPO, 'packages', 'e2e');
// The built bin of this checkout (`pnpm build`), run by path: a workspace dependency on the CLI would make
// `pnpm install` warn, before the first build, that it cannot link the bin.
const CLI = join(REPO, 'packages', 'cli', 'dist', 'cli.js');
const TSC = join(E2E, 'node_modules', 'typescript', 'bin', 'tsc');
const TS_LANGS = new Set(['ts', 'typescript']);
const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);
// No --disable-warning: a block that makes Node print an ExperimentalWarning fails (see below).
const NODE_FLAGS = ['--no-node-snapshot'];

/**
 * Where a page's blocks run: a fresh directory under packages/e2e (so `@agent-tool-protocol/*`
 * imports resolve to the built workspace packages), seeded with the page's companion files from
 * `docs/examples/<page>/` (README.md → `docs/examples/readme/`, packages/x/README.md → `x-readme/`).
 */
export function workDirFor(page: string): string {
  return join(E2E, '.doctest', relative(REPO, page).replace(/[/\\.]+/g, '-'));
}

export function companionDirFor(page: string): string {
  const name = basename(page, '.md').toLowerCase();
  // packages/runtime/README.md → runtime-readme: the READMEs must not share the root README's folder.
  const folder = dirname(page);
  return join(
    REPO,
    'docs',
    'examples',
    name === 'readme' && folder !== REPO ? `${basename(folder)}-readme` : name,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PageRun {
  dir: string;
  /** stdout+stderr of each block that ran, by its line in the page. */
  outputs: Map<number, string>;
}

/**
 * Runs a page's doctest blocks in order in one directory:
 * - `file=NAME` blocks are written to NAME (any language);
 * - TypeScript blocks were type-checked before, all pages at once (`typecheckPages`; pass its answer
 *   as `typeErrors`); the ones without `file=` run with node (type stripping, `--no-node-snapshot`);
 * - shell blocks run with bash (`-e`), `atp` on PATH being the built CLI; `background` blocks start a
 *   long-running command and wait for its output to match `wait=`; they are stopped at the end;
 * - `expect=REGEX` checks a block's output; no block may print an `ExperimentalWarning`.
 * Every `PORT` / `<NAME>_PORT` variable named in the blocks or the companion files is set to a free
 * loopback port (and ATP_URL to http://127.0.0.1:$PORT), so a page can say `${PORT:-3333}` or
 * `process.env.BILLING_PORT ?? 4020` and still run next to other tests.
 */
export async function runPage(
  page: string,
  blocks: DocBlock[],
  typeErrors: ReadonlyMap<string, string> = new Map(),
): Promise<PageRun> {
  const errors = typeErrors.get(page);
  if (errors) {
    throw new Error(`${relative(REPO, page)}: the TypeScript blocks do not type-check:\n${errors}`);
  }
  const dir = workDirFor(page);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const companions = companionDirFor(page);
  if (existsSync(companions)) cpSync(companions, dir, { recursive: true });
  // The page's files are ES modules (top-level await), as `typecheckPages` checked them.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  // As a user runs it: the CLI adds --no-node-snapshot itself and must print no ExperimentalWarning.
  writeFileSync(join(bin, 'atp'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'atp'), 0o755);
  const ports: Record<string, string> = {};
  for (const name of portNames([...blocks.map((block) => block.code), ...filesIn(companions)])) {
    ports[name] = String(await freePort());
  }
  const port = ports.PORT ?? String(await freePort());
  const env: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined && !entry[0].startsWith('JEST') && entry[0] !== 'NODE_OPTIONS',
      ),
    ),
    PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    ...ports,
    PORT: port,
    ATP_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: 'development',
  };

  const outputs = new Map<number, string>();
  const background: ChildProcess[] = [];
  try {
    let snippet = 0;
    for (const block of blocks) {
      const where = `${relative(REPO, page)}:${block.line}`;
      const file = typeof block.attrs.file === 'string' ? block.attrs.file : undefined;
      let output = '';
      if (file !== undefined) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), block.code);
        continue;
      }
      if (TS_LANGS.has(block.lang)) {
        const name = `snippet-${++snippet}.ts`;
        writeFileSync(join(dir, name), block.code);
        output = await runCommand(process.execPath, [...NODE_FLAGS, name], dir, env, where);
      } else if (SHELL_LANGS.has(block.lang) && block.attrs.background) {
        const started = startBackground(block.code, dir, env, where, String(block.attrs.wait ?? '.'));
        background.push(started.child);
        output = await started.ready;
      } else if (SHELL_LANGS.has(block.lang)) {
        output = await runCommand('bash', ['-e', '-c', block.code], dir, env, where);
      } else {
        throw new Error(`${where}: a doctest block in "${block.lang}" needs file=NAME (only ts and sh run)`);
      }
      outputs.set(block.line, output);
      // What a reader runs must not greet them with Node's experimental-feature warning.
      if (output.includes('ExperimentalWarning')) {
        throw new Error(`${where}: printed an ExperimentalWarning:\n${output}`);
      }
      if (typeof block.attrs.expect === 'string' && !new RegExp(block.attrs.expect).test(output)) {
        throw new Error(`${where}: output does not match /${block.attrs.expect}/:\n${output}`);
      }
    }
  } finally {
    await Promise.all(background.map((child) => stopAndWait(child)));
  }
  return { dir, outputs };
}

function portNames(texts: string[]): string[] {
  return [...new Set(texts.flatMap((text) => text.match(/\b(?:[A-Z][A-Z0-9]*_)?PORT\b/g) ?? []))];
}

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(dir, entry.name), 'utf8'));
}

/** The file names a page's TypeScript blocks get: `file=NAME`, else `snippet-<n>.ts` in page order. */
function tsFileNames(blocks: DocBlock[]): { block: DocBlock; name: string }[] {
  let snippet = 0;
  return blocks
    .filter((block) => TS_LANGS.has(block.lang))
    .map((block) => ({
      block,
      name: typeof block.attrs.file === 'string' ? block.attrs.file : `snippet-${++snippet}.ts`,
    }));
}

/**
 * Type-checks the TypeScript blocks of every page in one `tsc` program (strict, ES modules, Node
 * types): parsing the packages' declarations once instead of once per page saves seconds per page.
 * Each page's blocks are written to its own folder, each file a module of its own. Answers the
 * compiler's messages by page; a page without errors is absent.
 */
export async function typecheckPages(
  pages: { page: string; blocks: DocBlock[] }[],
): Promise<Map<string, string>> {
  const root = join(E2E, '.doctest');
  const files: string[] = [];
  const pageByDir = new Map<string, string>();
  for (const { page, blocks } of pages) {
    const named = tsFileNames(blocks);
    if (named.length === 0) continue;
    const dir = workDirFor(page);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // A module per file (top-level await, own scope): the page's files are ES modules.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
    for (const { block, name } of named) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), block.code);
      files.push(relative(root, join(dir, name)));
    }
    pageByDir.set(relative(root, dir), page);
  }
  const errors = new Map<string, string>();
  if (files.length === 0) return errors;
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2023',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        moduleDetection: 'force',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        types: ['node'],
      },
      files,
    }),
  );
  try {
    await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], {
      cwd: root,
      timeout: 300_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    // `<page dir>/<file>(line,col): error TS…`, continuation lines indented under it.
    let current: string | undefined;
    for (const line of `${stdout}${stderr}`.split('\n')) {
      if (!/^\s/.test(line)) current = pageByDir.get(line.split('/')[0] ?? '') ?? current;
      if (line.trim() === '') continue;
      const page = current ?? '(doc tests)';
      errors.set(page, `${errors.get(page) ?? ''}${line}\n`);
    }
    if (errors.size === 0) errors.set('(doc tests)', `tsc failed:\n${stdout}${stderr}`);
  }
  return errors;
}

function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  where: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const timer = setTimeout(() => {
      stopGroup(child);
      reject(new Error(`${where}: still running after 120 s:\n${output}`));
    }, 120_000);
    // `exit`, not `close`: a block may leave a background process (`node mock.mjs &`) holding the pipes.
    child.once('exit', (code) => {
      clearTimeout(timer);
      setTimeout(() => {
        stopGroup(child);
        if (code === 0) resolve(output);
        else reject(new Error(`${where}: exited with ${code}:\n${output}`));
      }, 100);
    });
  });
}

function startBackground(
  code: string,
  cwd: string,
  env: Record<string, string>,
  where: string,
  wait: string,
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn('bash', ['-c', code], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pattern = new RegExp(wait);
  const ready = new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${where}: no /${wait}/ within 60 s:\n${output}`)),
      60_000,
    );
    const check = (chunk: Buffer) => {
      output += String(chunk);
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      reject(new Error(`${where}: exited with ${exitCode} before printing /${wait}/:\n${output}`));
    });
  });
  return { child, ready };
}

/** SIGTERM (a graceful stop, as Ctrl-C would), then SIGKILL for the group after 10 s. */
async function stopAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stopGroup(child);
  const timer = setTimeout(() => stopGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Ends a block's whole process group (the shell, and whatever it started in the background). */
function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
