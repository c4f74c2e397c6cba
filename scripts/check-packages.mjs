#!/usr/bin/env node
// Packaging check (also the release dry run): packs every public workspace package, lints each tarball
// with publint, installs the tarballs into a temporary plain project (outside the workspace), and imports
// each one with both `import` and `require`. With `--list` (`pnpm release:dry`) it also prints what would
// be published: each package's name, version, tarball size and every file in the tarball.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = join(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const work = mkdtempSync(join(tmpdir(), 'atp-pack-'));
const tarballs = join(work, 'tarballs');
const consumer = join(work, 'consumer');

const list = process.argv.includes('--list');
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const packages = readdirSync(packagesDir)
  .map((dir) => join(packagesDir, dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const failures = [];
try {
  const files = {};
  for (const { dir, manifest } of packages) {
    const packed = JSON.parse(run('pnpm', ['pack', '--json', '--pack-destination', tarballs], dir));
    const tarball = packed.filename.startsWith('/') ? packed.filename : join(tarballs, packed.filename);
    if (list) {
      const kib = (statSync(tarball).size / 1024).toFixed(1);
      process.stdout.write(
        `\n${packed.name}@${packed.version}  (${kib} KiB, ${packed.files.length} files)\n`,
      );
      for (const file of packed.files) process.stdout.write(`  ${file.path}\n`);
    }
    files[manifest.name] = `file:${tarball}`;
    const bytes = readFileSync(tarball);
    const lint = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      level: 'warning',
    });
    for (const message of lint.messages) {
      const text = `${manifest.name}: publint ${message.type}: ${formatMessage(message, lint.pkg) ?? message.code}`;
      if (message.type === 'error') failures.push(text);
      else process.stdout.write(`${text}\n`);
    }
    for (const target of [manifest.exports?.['.']?.import?.types, manifest.exports?.['.']?.require?.types]) {
      if (target && !existsSync(join(dir, target))) failures.push(`${manifest.name}: missing ${target}`);
    }
  }
  run('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'atp-consumer', private: true, dependencies: files, overrides: files }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], consumer);

  for (const { manifest } of packages) {
    const name = manifest.name;
    const probe = (kind, script) => {
      try {
        return JSON.parse(
          run(
            process.execPath,
            ['--no-node-snapshot', ...(kind === 'esm' ? ['--input-type=module'] : []), '-e', script],
            consumer,
          ),
        );
      } catch (error) {
        failures.push(
          `${name} (${kind}): ${String(error.stderr || error.message)
            .split('\n')
            .slice(0, 6)
            .join('\n')}`,
        );
        return undefined;
      }
    };
    const esm = probe(
      'esm',
      `import * as m from '${name}'; console.log(JSON.stringify(Object.keys(m).sort()));`,
    );
    const cjs = probe(
      'cjs',
      `const m = require('${name}'); console.log(JSON.stringify(Object.keys(m).sort()));`,
    );
    if (esm && cjs) {
      const esmNames = esm.filter((key) => key !== 'default');
      if (esmNames.length === 0) failures.push(`${name}: exports nothing`);
      if (JSON.stringify(esmNames) !== JSON.stringify(cjs.filter((key) => key !== 'default'))) {
        failures.push(`${name}: ESM and CJS export different names`);
      }
      process.stdout.write(
        `packaging: ${name} imports with import and require (${esmNames.length} exports)\n`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(`packaging check failed:\n- ${failures.join('\n- ')}\n`);
  process.exit(1);
}
process.stdout.write(`packaging: ${packages.length} packages packed, installed and imported\n`);
if (list) {
  process.stdout.write(
    `release:dry: nothing was published. \`pnpm release\` would publish these ${packages.length} packages\n` +
      `(changeset publish: only versions not yet on the registry; run \`pnpm changeset version\` first to apply\n` +
      `pending changesets).\n`,
  );
}
