// Measures the catalog at 10,000 functions (100 groups × 100). Run after `pnpm build`:
//   node packages/catalog/scripts/bench.mjs
import { performance } from 'node:perf_hooks';
import { Catalog } from '../dist/index.js';

const verbs = ['create', 'get', 'list', 'update', 'delete', 'search', 'archive', 'export', 'import', 'sync'];
const nouns = [
  'user',
  'issue',
  'invoice',
  'order',
  'ticket',
  'project',
  'comment',
  'file',
  'message',
  'event',
];
const qualifiers = [
  '',
  'ForTeam',
  'ByEmail',
  'InBatch',
  'Draft',
  'Version',
  'Attachment',
  'Permission',
  'Label',
  'Report',
];
const domains = [
  'billing',
  'support',
  'crm',
  'storage',
  'chat',
  'calendar',
  'analytics',
  'hr',
  'devops',
  'sales',
];

function makeGroup(groupIndex) {
  const domain = domains[groupIndex % domains.length];
  const functions = [];
  for (let index = 0; index < 100; index++) {
    const verb = verbs[index % 10];
    const noun = nouns[Math.floor(index / 10)];
    const qualifier = qualifiers[(index + groupIndex) % 10];
    functions.push({
      name: `${noun}s.${verb}${qualifier}`,
      description: `${verb[0].toUpperCase()}${verb.slice(1)} a ${noun} ${qualifier ? `(${qualifier})` : ''} in the ${domain} system`,
      inputSchema: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          [`${noun}Name`]: { type: 'string' },
          limit: { type: 'integer' },
        },
        required: ['id'],
      },
      outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
      handler: async () => ({ ok: true }),
    });
  }
  return {
    name: `${domain}${groupIndex}`,
    type: 'openapi',
    description: `${domain} API #${groupIndex}`,
    functions,
  };
}

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const time = (fn) => {
  const start = performance.now();
  const result = fn();
  return [performance.now() - start, result];
};

const catalog = new Catalog();
const [registerMs] = time(() => {
  for (let index = 0; index < 100; index++) catalog.addGroup(makeGroup(index));
});
const [indexMs] = time(() => catalog.search('warm up'));
const [definitionsMs, definitions] = time(() => catalog.getDefinitions());
const [cachedDefinitionsMs] = time(() => catalog.getDefinitions());
const [exploreBuildMs] = time(() => catalog.explore('/'));

const queries = [
  'create a user',
  'delete invoice',
  'list tickets for team',
  'export report of orders',
  'search comments by email',
  'sync calendar events',
  'archive project draft',
  'update message attachment',
];
const searchSamples = [];
for (let round = 0; round < 50; round++) {
  for (const query of queries) {
    const start = performance.now();
    catalog.search(query);
    searchSamples.push(performance.now() - start);
  }
}
const paths = [...Array(1000)].map((_, index) => `${domains[index % 10]}${index % 100}.users.create`);
const [resolveMs] = time(() => {
  for (let round = 0; round < 100; round++) for (const path of paths) catalog.resolve(path);
});
const [suggestMs] = time(() => catalog.suggest('billing0.user.craete'));

const rows = [
  ['functions', catalog.listGroups().reduce((sum, group) => sum + group.functionCount, 0)],
  ['register 100 groups (validate + compile)', `${registerMs.toFixed(1)} ms`],
  ['build keyword index (first search)', `${indexMs.toFixed(1)} ms`],
  ['search p50', `${percentile(searchSamples, 50).toFixed(3)} ms`],
  ['search p99', `${percentile(searchSamples, 99).toFixed(3)} ms`],
  ['resolve (per call)', `${((resolveMs * 1000) / 100_000).toFixed(3)} µs`],
  [
    'getDefinitions first (all groups)',
    `${definitionsMs.toFixed(1)} ms, ${(definitions.typescript.length / 1024).toFixed(0)} KiB`,
  ],
  ['getDefinitions cached', `${cachedDefinitionsMs.toFixed(3)} ms`],
  ['explore tree build', `${exploreBuildMs.toFixed(1)} ms`],
  ['suggest (10,000 candidates)', `${suggestMs.toFixed(1)} ms`],
];
process.stdout.write(
  `| measure | value |\n|---|---|\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}\n`,
);
