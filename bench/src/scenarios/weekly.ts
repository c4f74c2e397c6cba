// Scenario 4: a multi-source weekly report. Won deals, support tickets, product analytics and
// deployments of one week → figures, a two-sentence narrative (the model's) → one published report.
import { paginate, readSpec } from './backend.ts';
import { personName, seeded, sentences } from './random.ts';
import type { Backend, Exchange, Expected, Scenario, ScenarioSize, ToolCall } from './types.ts';

const START = '2026-11-13T00:00:00.000Z';
const END = '2026-11-20T00:00:00.000Z';
const FIRST_DAY = '2026-11-13';
const LAST_DAY = '2026-11-19';
const TITLE = `Weekly report ${FIRST_DAY} – ${LAST_DAY}`;
const PROMPT_HEAD = 'Write a two-sentence summary for a weekly report from these figures:';

const at = (daysAfterStart: number) =>
  new Date(Date.parse(START) + daysAfterStart * 86_400_000).toISOString();
const inWindow = (value: string | null, after: unknown, before: unknown) =>
  value !== null &&
  (after === undefined || Date.parse(value) >= Date.parse(String(after))) &&
  (before === undefined || Date.parse(value) < Date.parse(String(before)));

function generate(scale: number) {
  const random = seeded(4);
  const deals = Array.from({ length: 200 * scale }, (_, i) => {
    const stage = random.pick(['won', 'won', 'won', 'won', 'won', 'lost', 'lost', 'open', 'open', 'open']);
    return {
      id: `deal_${i + 1}`,
      name: `${random.pick(['Annual', 'Pilot', 'Expansion', 'Renewal'])} ${random.pick(['Platform', 'Analytics', 'Support Suite', 'API'])} #${i + 1}`,
      account: `${random.pick(['Northwind', 'Contoso', 'Fabrikam', 'Initech', 'Globex', 'Umbrella'])} ${random.pick(['Retail', 'Health', 'Bank', 'Logistics'])}`,
      owner: personName(random),
      amountUsd: random.int(20, 900) * 100,
      stage,
      closedAt: stage === 'open' ? null : at(random.next() * 21 - 14),
      products: [random.pick(['core', 'analytics', 'sso', 'audit', 'api'])],
      notes: sentences(random, 2),
    };
  });
  const tickets = Array.from({ length: 360 * scale }, (_, i) => {
    const createdAt = at(random.next() * 21 - 14);
    const resolved = random.chance(0.7);
    return {
      id: `tkt_${i + 1}`,
      subject: random.pick([
        'Login fails with SSO',
        'Export stuck at 99%',
        'Invoice shows wrong VAT',
        'Webhook retries',
        'Slow dashboard',
        'API 429 errors',
      ]),
      priority: random.pick(['urgent', 'high', 'high', 'normal', 'normal', 'normal', 'low']),
      status: resolved ? 'resolved' : random.pick(['open', 'pending']),
      createdAt,
      resolvedAt: resolved
        ? new Date(Date.parse(createdAt) + random.int(1, 96) * 1_800_000).toISOString()
        : null,
      customer: `${random.pick(['Northwind', 'Contoso', 'Fabrikam', 'Initech'])} ${random.int(1, 99)}`,
      assignee: personName(random),
      tags: [random.pick(['billing', 'auth', 'performance', 'integrations'])],
      description: sentences(random, random.int(2, 4)),
    };
  });
  const days = Array.from({ length: 30 }, (_, i) => ({
    date: at(i - 22).slice(0, 10),
    signups: random.int(80, 240),
    activeUsers: random.int(9000, 12000),
    churned: random.int(2, 15),
    revenueUsd: random.int(30, 60) * 1000,
  }));
  const deployments = Array.from({ length: 70 * scale }, (_, i) => ({
    id: `dep_${i + 1}`,
    service: random.pick(['api', 'web', 'billing', 'search', 'worker']),
    version: `v2.${random.int(10, 60)}.${random.int(0, 9)}`,
    status: random.pick([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'rolled_back',
    ]),
    startedAt: at(random.next() * 21 - 14),
    durationSec: random.int(60, 900),
    author: personName(random),
    commitCount: random.int(1, 30),
  }));
  return { deals, tickets, days, deployments };
}

const DEALS_PAGE = 25;
const TICKETS_PAGE = 50;
const pagesFor = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));

/** From the generated data, filtered here rather than through the API: the week's figures and report. */
function expectedOf(data: ReturnType<typeof generate>): Expected {
  const deals = data.deals.filter((d) => d.stage === 'won' && inWindow(d.closedAt, START, END));
  const tickets = data.tickets.filter((t) => inWindow(t.createdAt, START, END));
  const days = data.days.filter((d) => d.date >= FIRST_DAY && d.date <= LAST_DAY);
  const deployments = data.deployments.filter((d) => inWindow(d.startedAt, START, END));
  const figures = figuresOf(deals, tickets, days, deployments);
  const story = narrative(figures);
  return {
    answer: { reportId: 'rpt_1', figures, narrative: story },
    effects: { reports: [{ title: TITLE, markdown: markdown(figures, story) }] },
    requests: {
      'analytics/daily': 1,
      'engineering/listDeployments': 1,
      'reports/publish': 1,
      'sales/listDeals': pagesFor(deals.length, DEALS_PAGE),
      'support/listTickets': pagesFor(tickets.length, TICKETS_PAGE),
    },
  };
}

function createBackend(size: ScenarioSize): Backend {
  const data = generate(size === 'full' ? 1 : 0.2);
  const expected = expectedOf(data);
  const published: Array<{ title: unknown; markdown: unknown }> = [];
  return {
    spec: readSpec('weekly.json'),
    expected,
    effects: () => ({ reports: published }),
    handlers: {
      'sales/listDeals': ({ stage, closedAfter, closedBefore, page, pageSize = 25 }) => {
        const matching = data.deals.filter(
          (d) =>
            (stage === undefined || d.stage === stage) &&
            (closedAfter === undefined && closedBefore === undefined
              ? true
              : inWindow(d.closedAt, closedAfter, closedBefore)),
        );
        const { items, ...rest } = paginate(matching, page, pageSize, 25);
        return { deals: items, ...rest };
      },
      'support/listTickets': ({ createdAfter, createdBefore, page, pageSize = 50 }) => {
        const matching = data.tickets.filter((t) => inWindow(t.createdAt, createdAfter, createdBefore));
        const { items, ...rest } = paginate(matching, page, pageSize, 50);
        return { tickets: items, ...rest };
      },
      'analytics/daily': ({ from, to }) => ({
        days: data.days.filter((d) => d.date >= String(from) && d.date <= String(to)),
      }),
      'engineering/listDeployments': ({ since, until }) => ({
        deployments: data.deployments.filter((d) => inWindow(d.startedAt, since, until)),
      }),
      'reports/publish': ({ body }) => {
        const report = (body ?? {}) as { title?: unknown; markdown?: unknown };
        published.push({ title: report.title, markdown: report.markdown });
        const id = `rpt_${published.length}`;
        return { id, url: `https://wiki.example.com/reports/${id}` };
      },
    },
  };
}

interface Figures {
  sales: {
    dealsWon: number;
    revenueUsd: number;
    topDeals: Array<{ name: string; account: string; amountUsd: number }>;
  };
  support: {
    opened: number;
    byPriority: Record<string, number>;
    resolved: number;
    medianResolutionHours: number | null;
  };
  product: { signups: number; avgActiveUsers: number; churned: number };
  engineering: { deployments: number; failed: number; successRate: number };
}

/** The model's two-sentence narrative for a week's figures. */
export function narrative(f: Figures): string {
  const top = f.sales.topDeals[0];
  return (
    `Sales closed ${f.sales.dealsWon} deals worth $${f.sales.revenueUsd.toLocaleString('en-US')} this week${top ? `, led by ${top.name} for ${top.account}` : ''}. ` +
    `Support received ${f.support.opened} tickets (${f.support.byPriority.urgent ?? 0} urgent) with a median resolution of ${f.support.medianResolutionHours ?? 'n/a'} hours, and engineering shipped ${f.engineering.deployments} deployments at a ${f.engineering.successRate}% success rate.`
  );
}

function markdown(f: Figures, story: string): string {
  const p = f.support.byPriority;
  return [
    `# ${TITLE}`,
    '',
    story,
    '',
    '## Sales',
    `- Deals won: ${f.sales.dealsWon}, revenue: $${f.sales.revenueUsd}`,
    `- Top deals: ${f.sales.topDeals.map((d) => `${d.name} (${d.account}, $${d.amountUsd})`).join('; ')}`,
    '## Support',
    `- Tickets opened: ${f.support.opened} (urgent ${p.urgent ?? 0}, high ${p.high ?? 0}, normal ${p.normal ?? 0}, low ${p.low ?? 0})`,
    `- Resolved: ${f.support.resolved}, median resolution: ${f.support.medianResolutionHours} h`,
    '## Product',
    `- Signups: ${f.product.signups}, average daily active users: ${f.product.avgActiveUsers}, churned: ${f.product.churned}`,
    '## Engineering',
    `- Deployments: ${f.engineering.deployments}, failed: ${f.engineering.failed}, success rate: ${f.engineering.successRate}%`,
  ].join('\n');
}

type Row = Record<string, any>;

function figuresOf(deals: Row[], tickets: Row[], days: Row[], deployments: Row[]): Figures {
  const byPriority: Record<string, number> = { urgent: 0, high: 0, normal: 0, low: 0 };
  for (const t of tickets) byPriority[t.priority] = (byPriority[t.priority] ?? 0) + 1;
  const hours = tickets
    .filter((t) => t.resolvedAt !== null)
    .map((t) => (Date.parse(t.resolvedAt) - Date.parse(t.createdAt)) / 3_600_000)
    .sort((a, b) => a - b);
  const mid = Math.floor(hours.length / 2);
  const median =
    hours.length === 0 ? null : hours.length % 2 ? hours[mid]! : (hours[mid - 1]! + hours[mid]!) / 2;
  const failed = deployments.filter((d) => d.status !== 'succeeded').length;
  return {
    sales: {
      dealsWon: deals.length,
      revenueUsd: deals.reduce((sum, d) => sum + d.amountUsd, 0),
      topDeals: [...deals]
        .sort((a, b) => b.amountUsd - a.amountUsd || a.id.localeCompare(b.id))
        .slice(0, 3)
        .map((d) => ({ name: d.name, account: d.account, amountUsd: d.amountUsd })),
    },
    support: {
      opened: tickets.length,
      byPriority,
      resolved: hours.length,
      medianResolutionHours: median === null ? null : Math.round(median * 10) / 10,
    },
    product: {
      signups: days.reduce((sum, d) => sum + d.signups, 0),
      avgActiveUsers: days.length
        ? Math.round(days.reduce((sum, d) => sum + d.activeUsers, 0) / days.length)
        : 0,
      churned: days.reduce((sum, d) => sum + d.churned, 0),
    },
    engineering: {
      deployments: deployments.length,
      failed,
      successRate: deployments.length
        ? Math.round(((deployments.length - failed) / deployments.length) * 1000) / 10
        : 100,
    },
  };
}

/** All pages of a paginated tool, or the call for its next page (pages depend on each other's `nextPage`). */
function pagedCall(
  exchanges: readonly Exchange[],
  tool: string,
  args: Record<string, unknown>,
  key: string,
): ToolCall | Row[] {
  const pages = exchanges.filter((e) => e.name === tool).map((e) => e.result as Row);
  const last = pages.at(-1);
  if (!last || last.nextPage !== null)
    return { name: tool, arguments: { ...args, page: last?.nextPage ?? 1 } };
  return pages.flatMap((page) => page[key] as Row[]);
}

function baselineStep(exchanges: readonly Exchange[]): ToolCall[] | { answer: unknown } {
  // The four sources are independent of each other; only each one's pages are sequential.
  const deals = pagedCall(
    exchanges,
    'sales_listDeals',
    { stage: 'won', closedAfter: START, closedBefore: END, pageSize: DEALS_PAGE },
    'deals',
  );
  const tickets = pagedCall(
    exchanges,
    'support_listTickets',
    { createdAfter: START, createdBefore: END, pageSize: TICKETS_PAGE },
    'tickets',
  );
  const days = exchanges.find((e) => e.name === 'analytics_daily')?.result as { days: Row[] } | undefined;
  const deployments = exchanges.find((e) => e.name === 'engineering_listDeployments')?.result as
    | { deployments: Row[] }
    | undefined;
  const calls: ToolCall[] = [];
  if (!Array.isArray(deals)) calls.push(deals);
  if (!Array.isArray(tickets)) calls.push(tickets);
  if (!days) calls.push({ name: 'analytics_daily', arguments: { from: FIRST_DAY, to: LAST_DAY } });
  if (!deployments)
    calls.push({ name: 'engineering_listDeployments', arguments: { since: START, until: END } });
  if (!Array.isArray(deals) || !Array.isArray(tickets) || !days || !deployments) return calls;
  const figures = figuresOf(deals, tickets, days.days, deployments.deployments);
  const story = narrative(figures);
  const report = exchanges.find((e) => e.name === 'reports_publish')?.result as { id: string } | undefined;
  if (!report)
    return [
      { name: 'reports_publish', arguments: { body: { title: TITLE, markdown: markdown(figures, story) } } },
    ];
  return { answer: { reportId: report.id, figures, narrative: story } };
}

function judge(prompt: string): string {
  return narrative(JSON.parse(prompt.slice(prompt.indexOf('\n') + 1)) as Figures);
}

const atpCode = `
async function all(fetchPage, key) {
  const items = [];
  for (let page = 1; page; ) {
    const result = await fetchPage(page);
    items.push(...result[key]);
    page = result.nextPage;
  }
  return items;
}
const start = '${START}', end = '${END}';
const [deals, tickets, { days }, { deployments }] = await Promise.all([
  all((page) => api.ops.sales.listDeals({ stage: 'won', closedAfter: start, closedBefore: end, page, pageSize: ${DEALS_PAGE} }), 'deals'),
  all((page) => api.ops.support.listTickets({ createdAfter: start, createdBefore: end, page, pageSize: ${TICKETS_PAGE} }), 'tickets'),
  api.ops.analytics.daily({ from: '${FIRST_DAY}', to: '${LAST_DAY}' }),
  api.ops.engineering.listDeployments({ since: start, until: end }),
]);
const byPriority = { urgent: 0, high: 0, normal: 0, low: 0 };
for (const t of tickets) byPriority[t.priority] = (byPriority[t.priority] ?? 0) + 1;
const hours = tickets.filter((t) => t.resolvedAt !== null)
  .map((t) => (Date.parse(t.resolvedAt) - Date.parse(t.createdAt)) / 3600000).sort((a, b) => a - b);
const mid = Math.floor(hours.length / 2);
const median = hours.length === 0 ? null : hours.length % 2 ? hours[mid] : (hours[mid - 1] + hours[mid]) / 2;
const failed = deployments.filter((d) => d.status !== 'succeeded').length;
const sum = (rows, field) => rows.reduce((total, row) => total + row[field], 0);
const figures = {
  sales: {
    dealsWon: deals.length,
    revenueUsd: sum(deals, 'amountUsd'),
    topDeals: [...deals].sort((a, b) => b.amountUsd - a.amountUsd || a.id.localeCompare(b.id)).slice(0, 3)
      .map((d) => ({ name: d.name, account: d.account, amountUsd: d.amountUsd })),
  },
  support: { opened: tickets.length, byPriority, resolved: hours.length,
    medianResolutionHours: median === null ? null : Math.round(median * 10) / 10 },
  product: { signups: sum(days, 'signups'), avgActiveUsers: days.length ? Math.round(sum(days, 'activeUsers') / days.length) : 0,
    churned: sum(days, 'churned') },
  engineering: { deployments: deployments.length, failed,
    successRate: deployments.length ? Math.round(((deployments.length - failed) / deployments.length) * 1000) / 10 : 100 },
};
const story = await atp.llm.call(${JSON.stringify(PROMPT_HEAD)} + '\\n' + JSON.stringify(figures));
const p = figures.support.byPriority;
const markdown = [
  '# ${TITLE}', '', story, '',
  '## Sales',
  '- Deals won: ' + figures.sales.dealsWon + ', revenue: $' + figures.sales.revenueUsd,
  '- Top deals: ' + figures.sales.topDeals.map((d) => d.name + ' (' + d.account + ', $' + d.amountUsd + ')').join('; '),
  '## Support',
  '- Tickets opened: ' + figures.support.opened + ' (urgent ' + p.urgent + ', high ' + p.high + ', normal ' + p.normal + ', low ' + p.low + ')',
  '- Resolved: ' + figures.support.resolved + ', median resolution: ' + figures.support.medianResolutionHours + ' h',
  '## Product',
  '- Signups: ' + figures.product.signups + ', average daily active users: ' + figures.product.avgActiveUsers + ', churned: ' + figures.product.churned,
  '## Engineering',
  '- Deployments: ' + figures.engineering.deployments + ', failed: ' + failed + ', success rate: ' + figures.engineering.successRate + '%',
].join('\\n');
const report = await api.ops.reports.publish({ body: { title: '${TITLE}', markdown } });
return { reportId: report.id, figures, narrative: story };
`;

export const weeklyScenario: Scenario = {
  id: 'weekly',
  group: 'ops',
  title: 'Multi-source weekly report',
  createBackend,
  task: `Write the weekly report for ${FIRST_DAY} to ${LAST_DAY} (from ${START} inclusive to ${END} exclusive): won deals (count, revenue, top 3), support tickets created (count by priority, resolved, median resolution hours), product analytics (signups, average daily active users, churned) and production deployments (count, failed, success rate). Add a two-sentence summary, publish it titled "${TITLE}", and answer with {reportId, figures, narrative}.`,
  atpCode,
  baselineStep,
  judge,
};
