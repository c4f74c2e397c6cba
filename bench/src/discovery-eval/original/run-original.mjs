// Runs the discovery tasks of one spec against the published ATP 0.19 server's search. This file is
// copied into a scratch directory where `@mondaydotcomorg/atp-server` is installed and run there with
// Node 20 (see original.ts). It uses the package as its server does: `loadOpenAPI(source, { name })`,
// a `SearchEngine` over the group, and `search(body)` as `POST /api/search` calls it (no user, no
// scope filtering).
// Input: a JSON file `{ spec: { name, path, stubSchemas }, queries: [...] }`; output on stdout: one
// `{ results }` response per query. With `stubSchemas`, every `components.schemas` entry becomes
// `{ type: 'object' }` first: 0.19 ranks by name, description and tags only, so its ranking is
// unchanged, but its loader no longer expands the spec's recursive schemas (which exhausts the heap
// on Stripe's).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOpenAPI, SearchEngine } from '@mondaydotcomorg/atp-server';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let source = input.spec.path;
if (input.spec.stubSchemas) {
  const document = JSON.parse(readFileSync(source, 'utf8'));
  for (const name of Object.keys(document.components?.schemas ?? {})) {
    document.components.schemas[name] = { type: 'object' };
  }
  source = join(mkdtempSync(join(tmpdir(), 'atp019-spec-')), 'spec.json');
  writeFileSync(source, JSON.stringify(document));
}
const group = await loadOpenAPI(source, { name: input.spec.name });
const engine = new SearchEngine([group]);
const responses = [];
for (const query of input.queries) {
  responses.push({ results: await engine.search({ query, maxResults: 10 }) });
}
process.stdout.write(JSON.stringify(responses));
