#!/usr/bin/env node
// `pnpm pack:local`: packs every public package into ./.packed/ as the registry would get it, for
// projects outside this checkout before the packages are published:
//   npm install /path/to/checkout/.packed/*.tgz
// Install them all at once: each tarball depends on the others by version, and npm takes them from
// the command line instead of the registry.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, '.packed');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);
for (const dir of packages) {
  execFileSync('pnpm', ['pack', '--pack-destination', out], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
process.stdout.write(
  `${packages.length} packages packed into ${out}\nIn your project: npm install ${join(out, '*.tgz')}\n`,
);
