// Scenario 5: a GitHub pull-request review. The PR, its files with patches and its check runs →
// line comments (console.log left in, TODOs without an issue, `any`), source files changed without a
// test, failing checks → one review whose summary the model writes.
import { badInput, readSpec } from './backend.ts';
import { type Random, seeded, sentences } from './random.ts';
import type { Backend, Exchange, Expected, Scenario, ScenarioSize, ToolCall } from './types.ts';

const OWNER = 'acme';
const REPO = 'storefront';
const PR = 482;
const PROMPT_HEAD = 'Write a short review summary for this pull request with these findings:';

const CODE = [
  'const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);',
  'if (!session.user) throw new UnauthorizedError("login required");',
  'export async function loadCart(id: string): Promise<Cart> {',
  'const response = await http.get("/carts/" + encodeURIComponent(id), { timeout: 5_000 });',
  'return { ...cart, updatedAt: new Date().toISOString() };',
  'for (const line of order.lines) await inventory.reserve(line.sku, line.quantity);',
  'logger.info({ orderId: order.id }, "order placed");',
  'const discount = coupon ? applyCoupon(subtotal, coupon) : 0;',
  '}',
  'await queue.publish("order.created", { id: order.id });',
  'const [first, ...rest] = await repository.findMany({ where: { status: "open" } });',
];
const SMELLS = [
  'console.log("cart", cart);',
  '// TODO: handle partial refunds',
  'const payload = body as any;',
  'function parse(input: any) {',
  '// TODO(#512): remove after the migration',
];

interface DiffEntry {
  sha: string;
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  patch: string;
}

const DOC_LINES = [
  'Payments are captured after the order is created.',
  '- `capture()` retries three times with backoff',
  '## Checkout flow',
  'See the runbook for failed captures.',
  '<!-- TODO: add a sequence diagram -->',
];
const JSON_LINES = [
  '"version": "3.18.0",',
  '"zod": "^4.1.0",',
  '"test": "jest",',
  '"@acme/payments": "^2.4.0",',
];

function patchFor(random: Random, filename: string): { patch: string; additions: number; deletions: number } {
  const plainLines = filename.endsWith('.md') ? DOC_LINES : filename.endsWith('.json') ? JSON_LINES : null;
  const code = plainLines ?? CODE;
  const smells = plainLines ?? SMELLS;
  const lines: string[] = [];
  let additions = 0;
  let deletions = 0;
  let oldLine = random.int(5, 40);
  let newLine = oldLine;
  for (let h = 0; h < random.int(1, 3); h++) {
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (let i = 0; i < random.int(10, 24); i++) {
      const roll = random.next();
      const indent = '  '.repeat(random.int(0, 2));
      if (roll < 0.45) {
        body.push(` ${indent}${random.pick(code)}`);
        oldCount++;
        newCount++;
      } else if (roll < 0.6) {
        body.push(`-${indent}${random.pick(code)}`);
        oldCount++;
        deletions++;
      } else {
        body.push(`+${indent}${random.chance(0.08) ? random.pick(smells) : random.pick(code)}`);
        newCount++;
        additions++;
      }
    }
    lines.push(
      `@@ -${oldLine},${oldCount} +${newLine},${newCount} @@ ${random.pick(['export class CartService {', 'export async function checkout(', ''])}`,
      ...body,
    );
    const gap = random.int(10, 30);
    oldLine += oldCount + gap;
    newLine += newCount + gap;
  }
  return { patch: lines.join('\n'), additions, deletions };
}

function generate(fileCount: number) {
  const random = seeded(5);
  const modules = [
    'cart',
    'checkout',
    'coupons',
    'inventory',
    'orders',
    'payments',
    'pricing',
    'shipping',
    'session',
    'search',
    'reviews',
    'wishlist',
    'tax',
    'returns',
  ];
  const files: DiffEntry[] = [];
  for (let i = 0; files.length < fileCount; i++) {
    const name = modules[i % modules.length]!;
    const paths = [`src/${name}.ts`];
    if (random.chance(0.5)) paths.push(`test/${name}.test.ts`);
    if (i % 5 === 4) paths.push(random.pick(['docs/checkout.md', 'package.json', 'src/config.ts']));
    for (const filename of paths) {
      if (files.length >= fileCount || files.some((f) => f.filename === filename)) continue;
      const { patch, additions, deletions } = patchFor(random, filename);
      const sha =
        random.int(0x1000000, 0xfffffff).toString(16).padStart(7, '0') +
        random.int(0x1000000, 0xfffffff).toString(16);
      files.push({
        sha,
        filename,
        status: random.pick(['modified', 'modified', 'modified', 'added']),
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `https://github.com/${OWNER}/${REPO}/blob/${sha}/${filename}`,
        patch,
      });
    }
  }
  const headSha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4';
  const pull = {
    number: PR,
    title: 'Checkout: split payment capture from order creation',
    body: `## What\n${sentences(random, 4)}\n\n## Why\n${sentences(random, 3)}\n\n## Testing\n${sentences(random, 2)}`,
    state: 'open',
    user: { login: 'mkowalski', id: 48213 },
    head: { ref: 'feature/split-capture', sha: headSha },
    base: { ref: 'main', sha: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' },
    labels: [{ name: 'checkout' }, { name: 'needs-review' }],
    additions: files.reduce((sum, f) => sum + f.additions, 0),
    deletions: files.reduce((sum, f) => sum + f.deletions, 0),
    changed_files: files.length,
    commits: 14,
    created_at: '2026-11-18T09:12:00Z',
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR}`,
  };
  const checkRuns = ['build', 'unit-tests', 'lint', 'typecheck', 'e2e', 'security-scan'].map(
    (name, index) => ({
      id: 9000 + index,
      name,
      status: 'completed',
      conclusion: name === 'lint' || (name === 'e2e' && fileCount > 10) ? 'failure' : 'success',
      started_at: '2026-11-18T09:15:00Z',
      completed_at: '2026-11-18T09:21:00Z',
      output: { title: `${name} ${name === 'lint' ? 'failed' : 'passed'}`, summary: sentences(random, 1) },
    }),
  );
  return { pull, files, headSha, checkRuns };
}

const FILES_PAGE = 100;

/** From the generated data: the findings on every file, the review and its summary. */
function expectedOf({ pull, files, checkRuns }: ReturnType<typeof generate>): Expected {
  const found = findings(files, checkRuns);
  const summary = reviewSummary(pull.title, { ...found, comments: found.comments.length });
  return {
    answer: { reviewId: 7_700_001, ...found, summary },
    effects: { reviews: [{ event: found.event, body: summary, comments: found.comments }] },
    requests: {
      'checks/listForRef': 1,
      'pulls/createReview': 1,
      'pulls/get': 1,
      // A page shorter than the page size is the last one, so a full last page costs one more request.
      'pulls/listFiles': Math.floor(files.length / FILES_PAGE) + 1,
    },
  };
}

function createBackend(size: ScenarioSize): Backend {
  const data = generate(size === 'full' ? 24 : 4);
  const { pull, files, headSha, checkRuns } = data;
  const reviews: Array<{ event: unknown; body: unknown; comments: unknown }> = [];
  const checkRepo = (input: Record<string, unknown>) => {
    if (input.owner !== OWNER || input.repo !== REPO)
      badInput(`unknown repository ${String(input.owner)}/${String(input.repo)}`);
  };
  return {
    spec: readSpec('pr-review.json'),
    expected: expectedOf(data),
    effects: () => ({ reviews }),
    handlers: {
      'pulls/get': (input) => {
        checkRepo(input);
        return input.pull_number === PR ? pull : badInput(`no pull request ${String(input.pull_number)}`);
      },
      'pulls/listFiles': (input) => {
        checkRepo(input);
        const perPage = Math.min(FILES_PAGE, Number(input.per_page ?? 30));
        const page = Number(input.page ?? 1);
        return files.slice((page - 1) * perPage, page * perPage);
      },
      'checks/listForRef': (input) => {
        checkRepo(input);
        return input.ref === headSha
          ? { total_count: checkRuns.length, check_runs: checkRuns }
          : { total_count: 0, check_runs: [] };
      },
      'pulls/createReview': (input) => {
        checkRepo(input);
        const review = (input.body ?? {}) as { event?: string; body?: unknown; comments?: unknown };
        const event = review.event ?? badInput('body.event is required');
        reviews.push({ event, body: review.body, comments: review.comments });
        const state =
          event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
        const id = 7_700_000 + reviews.length;
        return { id, state, html_url: `${pull.html_url}#pullrequestreview-${id}` };
      },
    },
  };
}

interface Comment {
  path: string;
  line: number;
  body: string;
}

/** The review rules applied to the added lines of every patch (what the model checks). */
export function findings(
  files: readonly DiffEntry[],
  checkRuns: ReadonlyArray<{ name: string; conclusion: string | null }>,
) {
  const comments: Comment[] = [];
  for (const file of files) {
    let line = 0;
    for (const raw of (file.patch ?? '').split('\n')) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
      if (hunk) {
        line = Number(hunk[1]);
        continue;
      }
      if (raw.startsWith('-')) continue;
      if (raw.startsWith('+')) {
        const text = raw.slice(1);
        if (/console\.log\(/.test(text))
          comments.push({ path: file.filename, line, body: 'Remove this console.log before merging.' });
        if (/\/\/\s*TODO(?!\(#\d+\))/.test(text))
          comments.push({ path: file.filename, line, body: 'Link this TODO to an issue, e.g. TODO(#123).' });
        if (/\bas any\b|:\s*any\b/.test(text))
          comments.push({ path: file.filename, line, body: 'Avoid `any`; use a precise type or `unknown`.' });
      }
      line++;
    }
  }
  const changed = new Set(files.map((f) => f.filename));
  const missingTests = files
    .filter((f) => /^src\/.*\.ts$/.test(f.filename) && f.status !== 'removed')
    .map((f) => f.filename)
    .filter((path) => !changed.has(`test/${path.slice(4, -3)}.test.ts`))
    .sort();
  const failingChecks = checkRuns
    .filter((run) => !['success', 'skipped', 'neutral'].includes(String(run.conclusion)))
    .map((run) => run.name)
    .sort();
  const event =
    comments.length || missingTests.length || failingChecks.length ? 'REQUEST_CHANGES' : 'APPROVE';
  return { comments, missingTests, failingChecks, event };
}

/** The model's review summary for a PR title and its findings. */
export function reviewSummary(
  title: string,
  found: { comments: number; missingTests: string[]; failingChecks: string[] },
): string {
  const parts = [`Thanks for "${title}".`];
  if (found.comments)
    parts.push(`I left ${found.comments} inline comments (debug logging, untracked TODOs, \`any\`).`);
  if (found.missingTests.length)
    parts.push(`These source files changed without a test: ${found.missingTests.join(', ')}.`);
  if (found.failingChecks.length) parts.push(`Failing checks: ${found.failingChecks.join(', ')}.`);
  if (parts.length === 1) parts.push('Looks good to me.');
  return parts.join(' ');
}

function summaryPrompt(title: string, found: ReturnType<typeof findings>): string {
  return `${PROMPT_HEAD}\n${JSON.stringify({ title, comments: found.comments.length, missingTests: found.missingTests, failingChecks: found.failingChecks })}`;
}

function baselineStep(exchanges: readonly Exchange[]): ToolCall[] | { answer: unknown } {
  const repo = { owner: OWNER, repo: REPO };
  const calls: ToolCall[] = [];
  const pull = exchanges.find((e) => e.name === 'pulls_get')?.result as
    | { title: string; head: { sha: string } }
    | undefined;
  if (!pull) calls.push({ name: 'pulls_get', arguments: { ...repo, pull_number: PR } });
  const pages = exchanges.filter((e) => e.name === 'pulls_listFiles').map((e) => e.result as DiffEntry[]);
  if (pages.length === 0 || pages.at(-1)!.length === FILES_PAGE) {
    calls.push({
      name: 'pulls_listFiles',
      arguments: { ...repo, pull_number: PR, per_page: FILES_PAGE, page: pages.length + 1 },
    });
  }
  const checks = exchanges.find((e) => e.name === 'checks_listForRef')?.result as
    | { check_runs: Array<{ name: string; conclusion: string | null }> }
    | undefined;
  // The check runs are looked up by the head commit, which only the pull request tells.
  if (pull && !checks) calls.push({ name: 'checks_listForRef', arguments: { ...repo, ref: pull.head.sha } });
  if (!pull || !checks || calls.length > 0) return calls;
  const found = findings(pages.flat(), checks.check_runs);
  const summary = judge(summaryPrompt(pull.title, found));
  const review = exchanges.find((e) => e.name === 'pulls_createReview')?.result as { id: number } | undefined;
  if (!review) {
    return [
      {
        name: 'pulls_createReview',
        arguments: {
          ...repo,
          pull_number: PR,
          body: { event: found.event, body: summary, comments: found.comments },
        },
      },
    ];
  }
  return { answer: { reviewId: review.id, ...found, summary } };
}

function judge(prompt: string): string {
  const input = JSON.parse(prompt.slice(prompt.indexOf('\n') + 1)) as {
    title: string;
    comments: number;
    missingTests: string[];
    failingChecks: string[];
  };
  return reviewSummary(input.title, input);
}

const atpCode = `
const repo = { owner: '${OWNER}', repo: '${REPO}' };
const pull = await api.github.pulls.get({ ...repo, pull_number: ${PR} });
const files = [];
for (let page = 1; ; page++) {
  const batch = await api.github.pulls.listFiles({ ...repo, pull_number: ${PR}, per_page: ${FILES_PAGE}, page });
  files.push(...batch);
  if (batch.length < ${FILES_PAGE}) break;
}
const { check_runs } = await api.github.checks.listForRef({ ...repo, ref: pull.head.sha });
const comments = [];
for (const file of files) {
  let line = 0;
  for (const raw of (file.patch ?? '').split('\\n')) {
    const hunk = /^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@/.exec(raw);
    if (hunk) { line = Number(hunk[1]); continue; }
    if (raw.startsWith('-')) continue;
    if (raw.startsWith('+')) {
      const text = raw.slice(1);
      if (/console\\.log\\(/.test(text)) comments.push({ path: file.filename, line, body: 'Remove this console.log before merging.' });
      if (/\\/\\/\\s*TODO(?!\\(#\\d+\\))/.test(text)) comments.push({ path: file.filename, line, body: 'Link this TODO to an issue, e.g. TODO(#123).' });
      if (/\\bas any\\b|:\\s*any\\b/.test(text)) comments.push({ path: file.filename, line, body: 'Avoid \`any\`; use a precise type or \`unknown\`.' });
    }
    line++;
  }
}
const changed = new Set(files.map((f) => f.filename));
const missingTests = files.filter((f) => /^src\\/.*\\.ts$/.test(f.filename) && f.status !== 'removed')
  .map((f) => f.filename).filter((path) => !changed.has('test/' + path.slice(4, -3) + '.test.ts')).sort();
const failingChecks = check_runs.filter((run) => !['success', 'skipped', 'neutral'].includes(String(run.conclusion)))
  .map((run) => run.name).sort();
const event = comments.length || missingTests.length || failingChecks.length ? 'REQUEST_CHANGES' : 'APPROVE';
const summary = await atp.llm.call(${JSON.stringify(PROMPT_HEAD)} + '\\n' +
  JSON.stringify({ title: pull.title, comments: comments.length, missingTests, failingChecks }));
const review = await api.github.pulls.createReview({ ...repo, pull_number: ${PR}, event, body: summary, comments });
return { reviewId: review.id, comments, missingTests, failingChecks, event, summary };
`;

export const prReviewScenario: Scenario = {
  id: 'pr-review',
  group: 'github',
  title: 'GitHub PR review',
  createBackend,
  task: `Review pull request #${PR} of ${OWNER}/${REPO}. Comment on added lines that leave a console.log, add a TODO without an issue reference (TODO(#123)), or use \`any\`; list source files (src/*.ts) changed without their test (test/<name>.test.ts); list failing checks. Request changes if anything is found, otherwise approve, with a short summary. Answer with {reviewId, comments, missingTests, failingChecks, event, summary}.`,
  atpCode,
  baselineStep,
  judge,
};
