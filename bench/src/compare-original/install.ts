// Installs the published ATP 0.19 server on demand, outside the workspace: its isolated-vm 5 builds only
// for Node 18–22, while the workspace runs on Node 24, so it can be neither a workspace dependency nor
// built by `pnpm install`. It goes into a cache directory (not committed) with npm, run by a Node 18–22
// found on PATH (or ATP_ORIGINAL_NODE), which then also runs the server.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export const ORIGINAL_PACKAGE = '@mondaydotcomorg/atp-server';
export const ORIGINAL_VERSION = '0.19.17';
/** Node majors isolated-vm 5 builds for. */
const SUPPORTED_MAJORS = [18, 20, 22];

export interface NodeBinary {
  path: string;
  version: string;
}

export interface OriginalInstall {
  dir: string;
  node: NodeBinary;
}

function versionOf(path: string): string | undefined {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

const majorOf = (version: string) => Number(/^v(\d+)\./.exec(version)?.[1]);

/** A Node the original runs on: ATP_ORIGINAL_NODE if set, else the first `node` on PATH with a supported major. */
export function findOriginalNode(env: NodeJS.ProcessEnv = process.env): NodeBinary | undefined {
  const candidates = env.ATP_ORIGINAL_NODE
    ? [env.ATP_ORIGINAL_NODE]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, 'node'));
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (seen.has(real)) continue;
    seen.add(real);
    const version = versionOf(candidate);
    if (version && SUPPORTED_MAJORS.includes(majorOf(version))) return { path: candidate, version };
  }
  return undefined;
}

/** Where the original is installed: ATP_ORIGINAL_DIR, else the user's cache directory. */
export function originalDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ATP_ORIGINAL_DIR) return env.ATP_ORIGINAL_DIR;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'agent-tool-protocol', `atp-server-${ORIGINAL_VERSION}`);
}

/** True when `dir` holds the original at the pinned version and its isolated-vm loads under `node`. */
export function isInstalled(dir: string, node: NodeBinary): boolean {
  const manifest = join(dir, 'node_modules', ...ORIGINAL_PACKAGE.split('/'), 'package.json');
  if (!existsSync(manifest)) return false;
  if ((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version !== ORIGINAL_VERSION)
    return false;
  try {
    execFileSync(node.path, ['-e', "require('isolated-vm')"], { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`)),
    );
  });
}

/**
 * The original, installed if it is not yet: npm install into a fresh directory next to the target, then
 * a rename, so an interrupted install never leaves a half-installed cache behind.
 */
export async function ensureOriginal(
  node: NodeBinary,
  dir = originalDir(),
  log: (line: string) => void = () => {},
): Promise<OriginalInstall> {
  if (isInstalled(dir, node)) return { dir, node };
  const staging = `${dir}.installing-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    join(staging, 'package.json'),
    JSON.stringify({ private: true, dependencies: { [ORIGINAL_PACKAGE]: ORIGINAL_VERSION } }, null, 2),
  );
  log(
    `Installing ${ORIGINAL_PACKAGE}@${ORIGINAL_VERSION} with Node ${node.version} into ${dir} (builds isolated-vm 5; takes minutes)…`,
  );
  // npm and node-gyp pick `node` from PATH: put the chosen one first so isolated-vm is built for it.
  const env = { ...process.env, PATH: `${dirname(node.path)}${delimiter}${process.env.PATH ?? ''}` };
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, env });
    if (!isInstalled(staging, node))
      throw new Error(`isolated-vm does not load under Node ${node.version} after npm install.`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, node };
}
