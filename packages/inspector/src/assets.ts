import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ConfigError } from '@agent-tool-protocol/protocol';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Asset {
  body: Buffer;
  contentType: string;
}

/** Where the built page is: `dist/public` next to the built module (or from the sources, in tests). */
export function inspectorAssetsDir(): string {
  const candidates = [join(__dirname, 'public'), join(__dirname, '..', 'dist', 'public')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0] ?? 'public';
}

/** Reads the page's files (a flat directory) into memory, by file name. */
export function loadAssets(dir: string): Map<string, Asset> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new ConfigError(
      `The ATP Inspector page is not built (no index.html in ${dir}): run \`pnpm --filter @agent-tool-protocol/inspector build\`.`,
      [{ path: 'assetsDir', message: 'has no index.html' }],
    );
  }
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const type = CONTENT_TYPES[extname(name)];
    if (!type || !statSync(path).isFile()) continue;
    assets.set(name, { body: readFileSync(path), contentType: type });
  }
  return assets;
}
