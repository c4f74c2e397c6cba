// Bundles the browser page (src/browser, CodeMirror included) into dist/public with esbuild: no CDN,
// everything the page needs is served by the inspector handler.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'public');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'browser', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) copyFileSync(join(root, 'public', file), join(out, file));
