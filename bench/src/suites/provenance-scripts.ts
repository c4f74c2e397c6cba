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

/**
 * Held out (round 4): written before the fourth round of `ast` tuning and only measured, never profiled;
 * the scripts above were the development set of that round. Aggregating API results the way an agent
 * does: group-by, sort and a markdown report; parsing CSV text; dates; a small search and scoring loop.
 */
export const CPU_ROUND4_REPORT = `
const tickets = await api.shop.tickets({ n: 250 });
const byOwner = {};
for (const t of tickets) {
  const g = byOwner[t.owner] ?? (byOwner[t.owner] = { open: 0, closed: 0, hours: [], worst: null });
  if (t.status === 'closed') g.closed++;
  else g.open++;
  g.hours.push(t.hours);
  if (!g.worst || t.priority > g.worst.priority) g.worst = t;
}
const owners = Object.entries(byOwner)
  .map(([owner, g]) => ({
    owner,
    ...g,
    avg: g.hours.reduce((a, b) => a + b, 0) / g.hours.length,
    median: [...g.hours].sort((a, b) => a - b)[Math.floor(g.hours.length / 2)],
  }))
  .sort((a, b) => b.open - a.open || a.owner.localeCompare(b.owner));
let md = '| owner | open | closed | avg h | median h | worst |\\n|---|---|---|---|---|---|\\n';
for (const o of owners) {
  md += \`| \${o.owner} | \${o.open} | \${o.closed} | \${o.avg.toFixed(1)} | \${o.median} | \${o.worst.id} (\${o.worst.title.slice(0, 16)}) |\\n\`;
}
const labels = new Map();
for (const t of tickets) for (const l of t.labels) labels.set(l, (labels.get(l) || 0) + 1);
const topLabels = [...labels].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([l, n]) => l + ':' + n);
return { owners: owners.length, md: md.length, first: owners[0].owner, topLabels };`;

export const CPU_ROUND4_CSV = `
const file = await api.shop.export({ rows: 300 });
const [header, ...lines] = file.csv.trim().split('\\n');
const cols = header.split(',');
const records = lines.map((line) => {
  const cells = line.split(',');
  const rec = {};
  cols.forEach((c, i) => (rec[c] = cells[i]));
  rec.qty = parseInt(rec.qty, 10);
  rec.price = parseFloat(rec.price);
  return rec;
});
const totals = {};
for (const r of records) {
  const key = r.region + '/' + r.product;
  totals[key] = (totals[key] || 0) + r.qty * r.price;
}
const out = Object.keys(totals)
  .sort()
  .map((k) => k.padEnd(20, '.') + totals[k].toFixed(2).padStart(12));
const regions = new Set(records.map((r) => r.region));
let maxLine = 0;
for (const line of out) if (line.length > maxLine) maxLine = line.length;
const quoted = records.slice(0, 50).map((r) => '"' + r.product.replace(/"/g, '""') + '"').join(';');
return { keys: out.length, regions: regions.size, maxLine, head: out[0], quoted: quoted.length };`;

export const CPU_ROUND4_DATES = `
const visits = await api.shop.visits({ n: 300 });
const perMonth = {};
const perWeekday = [0, 0, 0, 0, 0, 0, 0];
let longest = 0;
let longestId = '';
for (const v of visits) {
  const start = new Date(v.start);
  const end = new Date(v.end);
  const month = start.getUTCFullYear() + '-' + String(start.getUTCMonth() + 1).padStart(2, '0');
  perMonth[month] = (perMonth[month] || 0) + 1;
  perWeekday[start.getUTCDay()]++;
  const minutes = Math.round((end.getTime() - start.getTime()) / 60000);
  if (minutes > longest) {
    longest = minutes;
    longestId = v.id;
  }
}
const days = [...new Set(visits.map((v) => v.start.slice(0, 10)))].sort();
let streak = 1;
let best = 1;
for (let i = 1; i < days.length; i++) {
  const gap = (Date.parse(days[i]) - Date.parse(days[i - 1])) / 86400000;
  streak = gap === 1 ? streak + 1 : 1;
  if (streak > best) best = streak;
}
const months = Object.keys(perMonth).sort().map((m) => m + ' ' + '#'.repeat(Math.ceil(perMonth[m] / 10)));
const iso = new Date(Date.parse(visits[0].start) + longest * 60000).toISOString();
return { months, perWeekday, longest, longestId, best, iso };`;

export const CPU_ROUND4_SEARCH = `
const products = await api.shop.catalog({ n: 200 });
const queries = ['red chair', 'oak table', 'lamp', 'blue sofa bed', 'steel shelf'];
const tokenize = (s) => s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
const index = products.map((p) => ({ p, words: tokenize(p.name + ' ' + p.description) }));
const results = {};
for (const q of queries) {
  const terms = tokenize(q);
  const scored = [];
  for (const { p, words } of index) {
    let score = 0;
    for (const term of terms) {
      let tf = 0;
      for (const w of words) if (w === term) tf++;
      else if (w.startsWith(term)) tf += 0.5;
      score += tf / (1 + words.length / 10);
    }
    if (p.stock === 0) score *= 0.5;
    if (score > 0) scored.push({ id: p.id, score: Math.round(score * 1000) / 1000 });
  }
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  results[q] = scored.slice(0, 3).map((s) => s.id + '@' + s.score);
}
return results;`;

/** The round-4 held-out scripts, by row label: a separate group, measured only before and after tuning. */
export const CPU_SCRIPTS_ROUND4: readonly (readonly [label: string, code: string])[] = [
  ['held out (round 4): group-by report', CPU_ROUND4_REPORT],
  ['held out (round 4): CSV', CPU_ROUND4_CSV],
  ['held out (round 4): dates', CPU_ROUND4_DATES],
  ['held out (round 4): search scoring', CPU_ROUND4_SEARCH],
];

const TITLES = ['Widget', 'Gadget', 'Doohickey', 'Sprocket', 'Gizmo'];
const OWNERS = ['ana', 'bo', 'chen', 'dara', 'eli', 'farah', 'gus', 'hana', 'ivo'];
const COLOURS = ['red', 'blue', 'oak', 'white', 'black', 'steel'];
const FURNITURE = ['chair', 'table', 'lamp', 'sofa', 'bed', 'shelf', 'desk'];
const MATERIALS = ['oak', 'steel', 'pine', 'glass'];
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
      {
        name: 'tickets',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `T-${1000 + i}`,
            owner: OWNERS[(i * 7) % OWNERS.length],
            status: i % 3 === 0 ? 'closed' : i % 3 === 1 ? 'open' : 'review',
            priority: (i * 13) % 5,
            hours: 1 + ((i * 37) % 40),
            title: `${WORDS[i % 10]} fails when ${WORDS[(i * 3) % 10]} is empty`,
            labels: [WORDS[i % 4], i % 5 === 0 ? 'urgent' : 'normal'],
          })),
      },
      {
        name: 'export',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { rows: number }) => ({
          csv: [
            'id,region,product,qty,price',
            ...Array.from(
              { length: input.rows },
              (_, i) =>
                `${i},${['north', 'south', 'east', 'west'][i % 4]},${TITLES[(i * 3) % 5]} ${i % 6},${1 + (i % 9)},${(2.5 + (i % 13) * 1.75).toFixed(2)}`,
            ),
          ].join('\n'),
        }),
      },
      {
        name: 'visits',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => {
            const start = Date.UTC(2026, 0, 1) + ((i * 7) % 120) * 86_400_000 + ((i * 3571) % 86_400) * 1000;
            return {
              id: `V-${i}`,
              start: new Date(start).toISOString(),
              end: new Date(start + (5 + ((i * 17) % 180)) * 60_000).toISOString(),
            };
          }),
      },
      {
        name: 'catalog',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `P-${i}`,
            name: `${COLOURS[i % COLOURS.length]} ${FURNITURE[(i * 3) % FURNITURE.length]}`,
            description: `A ${MATERIALS[i % MATERIALS.length]} ${FURNITURE[(i * 5) % FURNITURE.length]} in ${COLOURS[(i * 7) % COLOURS.length]}, ${WORDS[i % 10]} edition, fits a ${FURNITURE[(i * 11) % FURNITURE.length]}.`,
            stock: i % 6,
          })),
      },
    ],
  };
}
