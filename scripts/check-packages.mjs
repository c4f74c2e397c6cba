#!/usr/bin/env node
// Packaging check (also the release dry run): packs every public workspace package, lints each tarball
// with publint, checks the registry metadata, installs the tarballs into a temporary plain project
// (outside the workspace), imports every entry (`.` and subpaths such as `./otel`) with both `import`
// and `require`, and type-checks a consumer that imports every entry, with `tsc --strict` under both
// `nodenext` (ESM and CommonJS files) and `bundler` module resolution. With `--list`
// (`pnpm release:dry`) it also prints what would be published: each package's name, version, tarball
// size and every file in the tarball.
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
  .map((dir) => ({ dir: join(packagesDir, dir), folder: dir }))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .map(({ dir, folder }) => ({
    dir,
    folder,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

/** Every entry a package exports: `name` for `.`, `name/otel` for `./otel` (not `./package.json`). */
const entriesOf = (manifest) =>
  Object.keys(manifest.exports ?? { '.': {} })
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));

/** What the registry page and `npm repo`/`npm bugs` need. */
function metadataProblems(manifest, folder) {
  const problems = [];
  if (manifest.repository?.directory !== `packages/${folder}`)
    problems.push(`repository.directory must be "packages/${folder}"`);
  if (!/^git\+https:\/\//.test(manifest.repository?.url ?? '')) problems.push('repository.url is missing');
  if (!manifest.homepage) problems.push('homepage is missing');
  if (!manifest.bugs?.url) problems.push('bugs.url is missing');
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0)
    problems.push('keywords are missing');
  if (!manifest.description) problems.push('description is missing');
  return problems;
}

const failures = [];
try {
  const files = {};
  for (const { dir, folder, manifest } of packages) {
    for (const problem of metadataProblems(manifest, folder)) failures.push(`${manifest.name}: ${problem}`);
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
    for (const entry of Object.values(manifest.exports ?? {})) {
      for (const target of [entry?.import?.types, entry?.require?.types]) {
        if (target && !existsSync(join(dir, target))) failures.push(`${manifest.name}: missing ${target}`);
      }
    }
  }
  run('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'atp-consumer', private: true, dependencies: files, overrides: files }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], consumer);

  const entries = packages.flatMap(({ manifest }) => entriesOf(manifest));
  for (const name of entries) {
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
  typecheckConsumer(entries);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * A plain TypeScript project that imports every entry, checked strictly and without skipLibCheck, so
 * the published `.d.ts`/`.d.cts` files must resolve everything they mention from their own dependencies.
 */
function typecheckConsumer(entries) {
  const imports = entries.map((name, index) => `import * as entry${index} from '${name}';`).join('\n');
  const uses = `export const entries = [${entries.map((_, index) => `entry${index}`).join(', ')}];\n`;
  writeFileSync(join(consumer, 'esm.mts'), `${imports}\n${uses}`);
  writeFileSync(
    join(consumer, 'cjs.cts'),
    `${entries.map((name, index) => `import entry${index} = require('${name}');`).join('\n')}\n${uses}`,
  );
  writeFileSync(join(consumer, 'bundler.ts'), `${imports}\n${uses}`);
  const base = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'ES2023',
    // DOM: the MCP SDK's declarations name fetch types (HeadersInit) that @types/node does not declare.
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const configs = {
    'tsconfig.nodenext.json': {
      compilerOptions: { ...base, module: 'nodenext', moduleResolution: 'nodenext' },
      files: ['esm.mts', 'cjs.cts'],
    },
    'tsconfig.bundler.json': {
      compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler' },
      files: ['bundler.ts'],
    },
  };
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const [file, config] of Object.entries(configs)) {
    writeFileSync(join(consumer, file), JSON.stringify(config, null, 2));
    let output = '';
    try {
      run(process.execPath, [tsc, '-p', file], consumer);
    } catch (error) {
      output = String(error.stdout || error.stderr || error.message);
    }
    // Errors inside other libraries' declarations are theirs (reported, not failed); ours must be clean.
    const problems = output.split('\n').filter((line) => /^\S.*\(\d+,\d+\): error /.test(line));
    const ours = problems.filter(
      (line) => !line.startsWith('node_modules/') || line.startsWith('node_modules/@agent-tool-protocol/'),
    );
    for (const line of problems.filter((line) => !ours.includes(line))) {
      process.stdout.write(`packaging: (not ours) ${file}: ${line}\n`);
    }
    if (output !== '' && problems.length === 0)
      failures.push(`consumer type-check (${file}) failed:\n${output.trim()}`);
    for (const line of ours) failures.push(`consumer type-check (${file}): ${line}`);
    if (ours.length === 0)
      process.stdout.write(`packaging: a strict consumer type-checks every entry (${file})\n`);
  }
}

if (failures.length > 0) {
  process.stderr.write(`packaging check failed:\n- ${failures.join('\n- ')}\n`);
  process.exit(1);
}
process.stdout.write(`packaging: ${packages.length} packages packed, installed, imported and type-checked\n`);
if (list) {
  process.stdout.write(
    `release:dry: nothing was published. \`pnpm release\` would publish these ${packages.length} packages\n` +
      `(changeset publish: only versions not yet on the registry; run \`pnpm changeset version\` first to apply\n` +
      `pending changesets).\n`,
  );
}
