import type { APIGroup } from '@agent-tool-protocol/protocol';

/** 100 sequential API calls; each result is read, transformed and collected, then one send at the end. */
export const CALL_HEAVY = `
const lines = [];
for (let i = 0; i < 100; i++) {
  const item = await api.shop.item({ id: i });
  lines.push(item.id + ': ' + item.title.toUpperCase() + (item.tags.length > 1 ? \` [\${item.tags.join(', ')}]\` : ''));
}
await api.shop.notify({ to: 'me@corp.example', text: lines.slice(0, 5).join('\\n') });
return lines.length;`;

/**
 * CPU-bound work over tool data: loops, string building, array methods. The `ast` helpers were profiled
 * and tuned on CPU_TUNED only; CPU_HELD_OUT was written at the same time and only ever measured.
 */
export const CPU_TUNED = `
const items = await api.shop.list({ n: 300 });
let report = '';
const byTag = {};
for (const item of items) {
  report += item.id + ': ' + item.title.toUpperCase() + '\\n';
  for (const tag of item.tags) byTag[tag] = (byTag[tag] || 0) + 1;
}
const prices = items.map((i) => i.price * 1.2).filter((p) => p > 20).sort((a, b) => a - b);
let checksum = 0;
for (let i = 0; i < 20000; i++) checksum = (checksum * 31 + i) % 1000003;
const words = report.split(/\\s+/).filter(Boolean).map((w) => w.toLowerCase());
return { lines: report.length, tags: Object.keys(byTag).length, top: prices.slice(-3), checksum, words: words.length };`;

export const CPU_HELD_OUT = `
const orders = await api.shop.orders({ n: 200 });
const rows = [];
let total = 0;
for (let i = 0; i < orders.length; i++) {
  const o = orders[i];
  const amount = o.lines.reduce((sum, l) => sum + l.qty * l.unit, 0);
  total += amount;
  rows.push(\`\${o.customer.padEnd(12)}|\${String(amount.toFixed(2)).padStart(10)}|\${o.lines.map((l) => l.sku).join(',')}\`);
}
const matrix = Array.from({ length: 60 }, (_, r) => Array.from({ length: 60 }, (_, c) => (r * c) % 7));
let trace = 0;
for (let k = 0; k < 60; k++) for (let j = 0; j < 60; j++) trace += matrix[k][j] * matrix[j][k];
const customers = [...new Set(orders.map((o) => o.customer))].sort();
const csv = rows.join('\\n');
const big = orders.filter((o) => o.lines.length > 2).map((o) => o.id);
return { total: Math.round(total), trace, customers: customers.length, csv: csv.length, big: big.length };`;

/**
 * A second held-out set, written before the second round of `ast` tuning (which used CPU_TUNED only)
 * and only ever measured: text and regular expressions, JSON and array methods over objects, nested
 * numeric loops over tool data.
 */
export const CPU_HELD_OUT_TEXT = `
const docs = await api.shop.docs({ n: 60 });
const counts = {};
let out = '';
for (const d of docs) {
  const sentences = d.body.split(/(?<=\\.)\\s+/);
  for (const s of sentences) {
    const words = s.match(/[A-Za-z]+/g) || [];
    for (const w of words) {
      const k = w.toLowerCase();
      counts[k] = (counts[k] || 0) + 1;
    }
    out += s.slice(0, 20).replace(/[aeiou]/g, '*') + '|';
  }
}
const top = Object.entries(counts)
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .slice(0, 10)
  .map(([w, c]) => w + '=' + c);
let hash = 0;
for (let i = 0; i < out.length; i++) hash = (hash * 33 + out.charCodeAt(i)) >>> 0;
return { top, hash, len: out.length };`;

export const CPU_HELD_OUT_JSON = `
const events = await api.shop.events({ n: 400 });
const parsed = events.map((e) => JSON.parse(e.payload));
const byUser = parsed.reduce((acc, p) => {
  (acc[p.user] ||= []).push(p);
  return acc;
}, {});
const summary = Object.keys(byUser)
  .map((u) => {
    const list = byUser[u];
    const amounts = list.filter((p) => p.kind === 'buy').map((p) => p.amount);
    return { u, n: list.length, spent: amounts.reduce((a, b) => a + b, 0), last: list[list.length - 1].at };
  })
  .filter((s) => s.n > 2);
const encoded = JSON.stringify(summary);
const roundTrip = JSON.parse(encoded).map((s) => ({ ...s, spent: Math.round(s.spent * 100) / 100 }));
let flags = 0;
for (let i = 0; i < roundTrip.length; i++) if (roundTrip[i].spent > 50) flags++;
return { users: roundTrip.length, flags, bytes: encoded.length };`;

export const CPU_HELD_OUT_GRID = `
const grid = await api.shop.grid({ w: 40, h: 40 });
const w = grid.width;
const h = grid.height;
const cells = grid.cells;
let best = -Infinity;
let bestAt = '';
const sums = [];
for (let y = 0; y < h; y++) {
  let row = 0;
  for (let x = 0; x < w; x++) {
    row += cells[y * w + x];
    let local = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) local += cells[yy * w + xx];
      }
    }
    if (local > best) {
      best = local;
      bestAt = x + ',' + y;
    }
  }
  sums.push(row);
}
const primes = [];
for (let n = 2; primes.length < 300; n++) {
  let prime = true;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) {
      prime = false;
      break;
    }
  }
  if (prime) primes.push(n);
}
return { best, bestAt, total: sums.reduce((a, b) => a + b, 0), last: primes[primes.length - 1] };`;

/** The CPU-bound scripts of the bench, by row label. */
export const CPU_SCRIPTS: readonly (readonly [label: string, code: string])[] = [
  ['tuned on', CPU_TUNED],
  ['held out', CPU_HELD_OUT],
  ['held out 2: text, regex', CPU_HELD_OUT_TEXT],
  ['held out 2: JSON, array methods', CPU_HELD_OUT_JSON],
  ['held out 2: nested loops', CPU_HELD_OUT_GRID],
];

const TITLES = ['Widget', 'Gadget', 'Doohickey', 'Sprocket', 'Gizmo'];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'theta', 'kappa', 'lambda', 'sigma'];

/** The tool group the provenance scripts read from. */
export function shop(): APIGroup {
  return {
    name: 'shop',
    type: 'custom',
    functions: [
      {
        name: 'item',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { id: number }) => ({
          id: `SKU-${input.id}`,
          title: `Item number ${input.id}`,
          price: 10 + input.id,
          tags: ['new', input.id % 2 === 0 ? 'even' : 'odd'],
          description: 'A perfectly ordinary product with a perfectly ordinary description.',
        }),
      },
      { name: 'notify', metadata: { operationType: 'write' }, handler: () => ({ ok: true }) },
      {
        name: 'list',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `SKU-${i}`,
            title: `${TITLES[i % 5]} number ${i}`,
            price: 5 + (i % 40),
            tags: ['new', i % 2 ? 'odd' : 'even', `t${i % 9}`],
          })),
      },
      {
        name: 'orders',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `O-${i}`,
            customer: `cust-${i % 23}`,
            lines: Array.from({ length: 1 + (i % 4) }, (_, j) => ({
              sku: `SKU-${i + j}`,
              qty: 1 + j,
              unit: 3.5 + j,
            })),
          })),
      },
      {
        name: 'docs',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `D-${i}`,
            body: Array.from(
              { length: 4 + (i % 3) },
              (_, s) =>
                `${WORDS[(i + s) % 10]} ${WORDS[(i * 3 + s) % 10]} report ${i}-${s} covers ${WORDS[(s * 7) % 10]} and more.`,
            ).join(' '),
          })),
      },
      {
        name: 'events',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: i,
            payload: JSON.stringify({
              user: `u${i % 37}`,
              kind: i % 3 === 0 ? 'view' : 'buy',
              amount: (i % 17) * 1.25,
              at: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
            }),
          })),
      },
      {
        name: 'grid',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { w: number; h: number }) => ({
          width: input.w,
          height: input.h,
          cells: Array.from({ length: input.w * input.h }, (_, i) => (i * 7919) % 13),
        }),
      },
    ],
  };
}
