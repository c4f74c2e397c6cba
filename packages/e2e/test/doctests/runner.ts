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
const NODE_FLAGS = ['--no-node-snapshot', '--disable-warning=ExperimentalWarning'];

/**
 * Where a page's blocks run: a fresh directory under packages/e2e (so `@agent-tool-protocol/*`
 * imports resolve to the built workspace packages), seeded with the page's companion files from
 * `docs/examples/<page>/` (README.md → `docs/examples/readme/`).
 */
export function workDirFor(page: string): string {
  return join(E2E, '.doctest', relative(REPO, page).replace(/[/\\.]+/g, '-'));
}

export function companionDirFor(page: string): string {
  const name = basename(page, '.md').toLowerCase();
  return join(REPO, 'docs', 'examples', name);
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
 * - every TypeScript block is type-checked first (tsc, strict), then the ones without `file=` run
 *   with node (type stripping, `--no-node-snapshot`);
 * - shell blocks run with bash (`-e`), `atp` on PATH being the built CLI; `background` blocks start a
 *   long-running command and wait for its output to match `wait=`; they are stopped at the end;
 * - `expect=REGEX` checks a block's output; no block may print an `ExperimentalWarning`.
 * Every `PORT` / `<NAME>_PORT` variable named in the blocks or the companion files is set to a free
 * loopback port (and ATP_URL to http://127.0.0.1:$PORT), so a page can say `${PORT:-3333}` or
 * `process.env.BILLING_PORT ?? 4020` and still run next to other tests.
 */
export async function runPage(page: string, blocks: DocBlock[]): Promise<PageRun> {
  const dir = workDirFor(page);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const companions = companionDirFor(page);
  if (existsSync(companions)) cpSync(companions, dir, { recursive: true });
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

  await typecheck(dir, blocks, page);
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

async function typecheck(dir: string, blocks: DocBlock[], page: string): Promise<void> {
  const tsBlocks = blocks.filter((block) => TS_LANGS.has(block.lang));
  if (tsBlocks.length === 0) return;
  let snippet = 0;
  const names = tsBlocks.map((block) =>
    typeof block.attrs.file === 'string' ? block.attrs.file : `snippet-${++snippet}.ts`,
  );
  tsBlocks.forEach((block, index) => {
    writeFileSync(join(dir, names[index] as string), block.code);
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2023',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        types: ['node'],
      },
      files: names,
    }),
  );
  // A module per file (top-level await, own scope): the page's files are ES modules.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  try {
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir, timeout: 120_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${relative(REPO, page)}: the TypeScript blocks do not type-check:\n${stdout}${stderr}`);
  }
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
