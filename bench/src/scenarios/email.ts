// Scenario 1: email filtering. 200 inbox messages; find the unanswered refund requests of the last
// week, label them, list them. Per-message judgement ("does this ask for a refund?") is the model's.
import { badInput, paginate, readSpec } from './backend.ts';
import { isoBefore, personName, type Random, seeded, sentences } from './random.ts';
import type { Backend, Exchange, Expected, Scenario, ScenarioSize, ToolCall } from './types.ts';

const NOW = '2026-11-20T12:00:00Z';
const SINCE = '2026-11-13T12:00:00Z';
const LABEL = 'refund-request';
const PROMPT_HEAD = 'Which of these emails ask for a refund? Answer with a JSON array of their ids only.';

interface Email {
  id: string;
  threadId: string;
  folder: string;
  from: { name: string; email: string };
  to: Array<{ name: string; email: string }>;
  subject: string;
  receivedAt: string;
  body: string;
  answered: boolean;
  labels: string[];
  attachments: number;
}

const KINDS: Array<{
  weight: number;
  subject: (r: Random) => string;
  opening: (r: Random) => string;
  external: boolean;
  /** Ground truth: the email asks for a refund (the answer key; never shown to either path). */
  asksForRefund?: true;
}> = [
  {
    weight: 30,
    external: true,
    subject: (r) =>
      r.pick([
        'Your weekly product digest',
        'Webinar: scaling support teams',
        'New features this month',
        'Industry report 2026',
      ]),
    opening: () => 'Here is what happened this week across the platform.',
  },
  {
    weight: 25,
    external: false,
    subject: (r) =>
      r.pick(['Q4 planning notes', 'Standup moved to 10:30', 'Offsite agenda', 'Hiring update']),
    opening: () => 'Quick update from the team before the weekly sync.',
  },
  {
    weight: 20,
    external: true,
    subject: (r) =>
      r.pick([
        'Question about SSO setup',
        'How do I export invoices?',
        'API rate limits',
        'Adding seats to our plan',
      ]),
    opening: () => 'Hi, we are evaluating a few settings and have a question for your team.',
  },
  {
    weight: 10,
    external: true,
    asksForRefund: true,
    subject: (r) => r.pick(['Refund for order', 'Requesting a refund', 'Charged twice', 'Cancel and refund']),
    opening: (r) =>
      r.pick([
        'I would like a refund for my last invoice because we were charged twice.',
        'Please refund the annual plan, we cancelled within the trial window.',
        'Can I get my money back for the unused seats on our account?',
        'We are requesting a refund of the duplicate payment from last week.',
      ]),
  },
  {
    weight: 5,
    external: true,
    subject: (r) => r.pick(['Re: refund', 'Refund received', 'Thanks for the refund']),
    opening: (r) =>
      r.pick([
        'Thank you, we received the refund this morning.',
        'Just confirming the refund arrived, all good on our side.',
      ]),
  },
  {
    weight: 10,
    external: true,
    subject: (r) => r.pick(['Partnership opportunity', 'Intro: data enrichment', 'Can we book 15 minutes?']),
    opening: () => 'I am reaching out because we help companies like yours grow pipeline.',
  },
];

function kindOf(random: Random) {
  let roll = random.int(1, 100);
  for (const kind of KINDS) {
    roll -= kind.weight;
    if (roll <= 0) return kind;
  }
  return KINDS[0]!;
}

function generate(count: number): { emails: Email[]; refundRequests: Set<string> } {
  const random = seeded(1);
  const emails: Email[] = [];
  const refundRequests = new Set<string>();
  for (let i = 0; i < count; i++) {
    const kind = kindOf(random);
    if (kind.asksForRefund) refundRequests.add(`msg_${String(i + 1).padStart(4, '0')}`);
    const name = personName(random);
    const domain = kind.external
      ? random.pick(['gmail.com', 'northwind.io', 'contoso.com', 'fabrikam.net', 'initech.co'])
      : 'acme.com';
    emails.push({
      id: `msg_${String(i + 1).padStart(4, '0')}`,
      threadId: `thr_${String(random.int(1, 9999)).padStart(4, '0')}`,
      folder: 'inbox',
      from: { name, email: `${name.split(' ')[0]!.toLowerCase()}.${i}@${domain}` },
      to: [{ name: 'Dana Support', email: 'support@acme.com' }],
      subject: kind.subject(random),
      receivedAt: isoBefore(NOW, (i * 14) / count + random.next() * 0.05),
      body: `${kind.opening(random)} ${sentences(random, random.int(4, 9))}\n\nBest regards,\n${name}`,
      answered: random.chance(0.3),
      labels: random.chance(0.2) ? ['important'] : [],
      attachments: random.chance(0.15) ? random.int(1, 3) : 0,
    });
  }
  return { emails, refundRequests };
}

/** The model's judgement of one email's text (subject and body). */
export function asksForRefund(text: string): boolean {
  const thanked =
    /\b(received|arrived|thanks for|thank you)\b[^.]{0,30}\brefund\b|\brefund\b[^.]{0,20}\b(arrived|received)\b/i;
  const asks =
    /\b(would like|please|requesting|can i get|cancel and)\b[^.]{0,40}\b(refund|money back)\b|charged twice/i;
  return asks.test(text) && !thanked.test(text);
}

const textOf = (email: Email) => `${email.subject}: ${email.body.replace(/\s+/g, ' ')}`;

const PAGE_SIZE = 50;

const summaryOf = (hits: readonly Email[]) => ({
  count: hits.length,
  emails: hits.map((m) => ({ id: m.id, from: m.from.email, subject: m.subject })),
});

/** From the generated data and its answer key: the refund requests of the week, unanswered, oldest first. */
function expectedOf(emails: readonly Email[], refundRequests: ReadonlySet<string>): Expected {
  const hits = emails
    .filter((m) => refundRequests.has(m.id) && !m.answered && Date.parse(m.receivedAt) >= Date.parse(SINCE))
    .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  return {
    answer: summaryOf(hits),
    effects: { labelled: hits.map((m) => m.id).sort() },
    requests: {
      'messages/list': Math.max(1, Math.ceil(emails.length / PAGE_SIZE)),
      ...(hits.length > 0 ? { 'messages/addLabel': hits.length } : {}),
    },
  };
}

function createBackend(size: ScenarioSize): Backend {
  const { emails, refundRequests } = generate(size === 'full' ? 200 : 24);
  const expected = expectedOf(emails, refundRequests);
  const find = (id: unknown) =>
    emails.find((email) => email.id === id) ?? badInput(`no message ${String(id)}`);
  return {
    spec: readSpec('email.json'),
    expected,
    effects: () => ({
      labelled: emails
        .filter((email) => email.labels.includes(LABEL))
        .map((email) => email.id)
        .sort(),
    }),
    handlers: {
      'messages/list': ({ folder = 'inbox', page, pageSize = 25 }) => {
        const inFolder = emails.filter((email) => email.folder === folder);
        const { items, ...rest } = paginate(inFolder, page, pageSize, 50);
        return { messages: items, ...rest };
      },
      'messages/get': ({ id }) => find(id),
      'messages/addLabel': ({ id, body }) => {
        const email = find(id);
        const label = (body as { label?: string } | undefined)?.label ?? badInput('body.label is required');
        if (!email.labels.includes(label)) email.labels.push(label);
        return { id: email.id, labels: email.labels };
      },
    },
  };
}

function baselineStep(exchanges: readonly Exchange[]): ToolCall[] | { answer: unknown } {
  const pages = exchanges
    .filter((e) => e.name === 'messages_list')
    .map((e) => e.result as { messages: Email[]; nextPage: number | null });
  const lastPage = pages.at(-1);
  if (!lastPage || lastPage.nextPage !== null) {
    return [
      {
        name: 'messages_list',
        arguments: { folder: 'inbox', page: lastPage?.nextPage ?? 1, pageSize: PAGE_SIZE },
      },
    ];
  }
  const hits = pages
    .flatMap((page) => page.messages)
    .filter((m) => !m.answered && m.receivedAt >= new Date(SINCE).toISOString() && asksForRefund(textOf(m)))
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  const labelled = new Set(exchanges.filter((e) => e.name === 'messages_addLabel').map((e) => e.args.id));
  const unlabelled = hits.filter((m) => !labelled.has(m.id));
  if (unlabelled.length > 0)
    return unlabelled.map((m) => ({
      name: 'messages_addLabel',
      arguments: { id: m.id, body: { label: LABEL } },
    }));
  return { answer: summaryOf(hits) };
}

function judge(prompt: string): string {
  const ids: string[] = [];
  for (const line of prompt.split('\n')) {
    const match = /^<<(\w+)>> (.*)$/.exec(line);
    if (match && asksForRefund(match[2]!)) ids.push(match[1]!);
  }
  return JSON.stringify(ids);
}

const atpCode = `
const messages = [];
for (let page = 1; page; ) {
  const result = await api.mail.messages.list({ folder: 'inbox', page, pageSize: ${PAGE_SIZE} });
  messages.push(...result.messages);
  page = result.nextPage;
}
const since = new Date('${SINCE}').toISOString();
const candidates = messages.filter((m) =>
  !m.answered && m.receivedAt >= since && /refund|money back|charged twice/i.test(m.subject + ' ' + m.body));
const ids = candidates.length === 0 ? [] : JSON.parse(await atp.llm.call(
  ${JSON.stringify(PROMPT_HEAD)} + '\\n' +
  candidates.map((m) => '<<' + m.id + '>> ' + m.subject + ': ' + m.body.replace(/\\s+/g, ' ')).join('\\n')));
const hits = candidates.filter((m) => ids.includes(m.id)).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
await Promise.all(hits.map((m) => api.mail.messages.addLabel({ id: m.id, body: { label: '${LABEL}' } })));
return { count: hits.length, emails: hits.map((m) => ({ id: m.id, from: m.from.email, subject: m.subject })) };
`;

export const emailScenario: Scenario = {
  id: 'email',
  group: 'mail',
  title: 'Email filtering (200 emails)',
  createBackend,
  task: `Today is ${NOW.slice(0, 10)}. In my inbox, find the emails received in the last 7 days that ask for a refund and have not been answered. Label each one "${LABEL}" and answer with {count, emails: [{id, from, subject}]} (from = sender address), oldest first.`,
  atpCode,
  baselineStep,
  judge,
};
