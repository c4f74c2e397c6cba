// Scenario 2: an article summary pipeline. Today's AI headlines → each article's text → a one-sentence
// summary per article (the model's judgement) → one published digest.
import { badInput, readSpec } from './backend.ts';
import { personName, seeded, sentences } from './random.ts';
import type { Backend, Exchange, Expected, Scenario, ScenarioSize, ToolCall } from './types.ts';

const DAY = '2026-11-20';
const TITLE = `AI digest ${DAY}`;
const PROMPT_HEAD = 'Summarize this article in one sentence.';

interface Article {
  id: string;
  title: string;
  source: string;
  topic: string;
  publishedAt: string;
  url: string;
  author: string;
  wordCount: number;
  body: string;
}

const SUBJECTS = [
  'Open-weight model',
  'Inference chip',
  'Agent framework',
  'Robotics lab',
  'Speech model',
  'Vector database',
  'Coding assistant',
  'Safety benchmark',
];
const EVENTS = [
  'tops new reasoning benchmark',
  'cuts serving costs by half',
  'ships a stable 1.0 release',
  'raises a Series B round',
  'adds support for 40 languages',
  'is adopted by three major banks',
  'opens its evaluation suite',
  'wins a public-sector contract',
];
const OTHER_TOPICS = ['cloud', 'security', 'startups'];
const TOPICS = ['ai', ...OTHER_TOPICS];

function generate(perDayAi: number): Article[] {
  const random = seeded(2);
  const articles: Article[] = [];
  const total = perDayAi * 2 + 10;
  for (let i = 0; i < total; i++) {
    const isToday = i % 2 === 0;
    const aiToday = articles.filter((a) => a.topic === 'ai' && a.publishedAt.startsWith(DAY)).length;
    const topic = !isToday ? random.pick(TOPICS) : aiToday < perDayAi ? 'ai' : random.pick(OTHER_TOPICS);
    const subject = random.pick(SUBJECTS);
    const event = random.pick(EVENTS);
    const paragraphs: string[] = [
      `${subject} from ${random.pick(['Nimbus Labs', 'Helix AI', 'Quanta Systems', 'Orbital Compute', 'Fathom Research'])} ${event}, according to figures released on ${DAY}.`,
    ];
    for (let p = 0; p < random.int(5, 8); p++) paragraphs.push(sentences(random, random.int(4, 7)));
    const body = paragraphs.join('\n\n');
    const id = `art_${String(i + 1).padStart(3, '0')}`;
    articles.push({
      id,
      title: `${subject} ${event}`,
      source: random.pick(['TechWire', 'The Circuit', 'Data Daily', 'ML Times']),
      topic,
      publishedAt: `${isToday ? DAY : '2026-11-19'}T${String(6 + (i % 12)).padStart(2, '0')}:00:00Z`,
      url: `https://news.example.com/${id}`,
      author: personName(random),
      wordCount: body.split(/\s+/).length,
      body,
    });
  }
  return articles;
}

/** The model's one-sentence summary of an article. */
export function summarize(title: string, body: string): string {
  const lead = body.split(/(?<=\.)\s/)[0] ?? '';
  return `${title}: ${lead.replace(/, according to .*$/, '.')}`;
}

const headline = ({ author: _a, wordCount: _w, body: _b, ...rest }: Article) => rest;

/** From the generated data: today's AI articles in feed order, each summarized, in one digest. */
function expectedOf(articles: readonly Article[]): Expected {
  const today = articles.filter((a) => a.topic === 'ai' && a.publishedAt.startsWith(DAY));
  const items = today.map((a) => ({ articleId: a.id, title: a.title, summary: summarize(a.title, a.body) }));
  return {
    answer: { digestId: 'dig_1', summaries: items.map(({ articleId, summary }) => ({ articleId, summary })) },
    effects: { digests: [{ title: TITLE, items }] },
    requests: { 'articles/get': today.length, 'articles/list': 1, 'digests/create': 1 },
  };
}

function createBackend(size: ScenarioSize): Backend {
  const articles = generate(size === 'full' ? 20 : 3);
  const expected = expectedOf(articles);
  const digests: unknown[] = [];
  return {
    spec: readSpec('articles.json'),
    expected,
    effects: () => ({ digests }),
    handlers: {
      'articles/list': ({ topic, date }) => ({
        articles: articles
          .filter(
            (a) =>
              (topic === undefined || a.topic === topic) &&
              (date === undefined || a.publishedAt.startsWith(String(date))),
          )
          .map(headline),
      }),
      'articles/get': ({ id }) => articles.find((a) => a.id === id) ?? badInput(`no article ${String(id)}`),
      'digests/create': ({ body }) => {
        const digest = body as { title?: string; items?: unknown[] } | undefined;
        if (!digest?.title || !Array.isArray(digest.items))
          badInput('body.title and body.items are required');
        digests.push(digest);
        const id = `dig_${digests.length}`;
        return { id, url: `https://news.example.com/digests/${id}`, itemCount: digest.items.length };
      },
    },
  };
}

function baselineStep(exchanges: readonly Exchange[]): ToolCall[] | { answer: unknown } {
  const list = exchanges.find((e) => e.name === 'articles_list')?.result as
    | { articles: Article[] }
    | undefined;
  if (!list) return [{ name: 'articles_list', arguments: { topic: 'ai', date: DAY } }];
  const read = new Map(
    exchanges.filter((e) => e.name === 'articles_get').map((e) => [e.args.id, e.result as Article]),
  );
  const unread = list.articles.filter((a) => !read.has(a.id));
  if (unread.length > 0) return unread.map((a) => ({ name: 'articles_get', arguments: { id: a.id } }));
  const items = list.articles.map((a) => {
    const full = read.get(a.id)!;
    return { articleId: a.id, title: full.title, summary: summarize(full.title, full.body) };
  });
  const published = exchanges.find((e) => e.name === 'digests_create')?.result as { id: string } | undefined;
  if (!published) return [{ name: 'digests_create', arguments: { body: { title: TITLE, items } } }];
  return {
    answer: {
      digestId: published.id,
      summaries: items.map(({ articleId, summary }) => ({ articleId, summary })),
    },
  };
}

function judge(prompt: string): string {
  const match = /^Title: (.*)\n\n([\s\S]*)$/m.exec(prompt);
  return match ? summarize(match[1]!, match[2]!) : '';
}

const atpCode = `
const { articles } = await api.news.articles.list({ topic: 'ai', date: '${DAY}' });
const full = await Promise.all(articles.map((a) => api.news.articles.get({ id: a.id })));
const summaries = await Promise.all(full.map((a) =>
  atp.llm.call(${JSON.stringify(PROMPT_HEAD)} + '\\nTitle: ' + a.title + '\\n\\n' + a.body)));
const items = full.map((a, i) => ({ articleId: a.id, title: a.title, summary: summaries[i] }));
const digest = await api.news.digests.create({ body: { title: '${TITLE}', items } });
return { digestId: digest.id, summaries: items.map(({ articleId, summary }) => ({ articleId, summary })) };
`;

export const articlesScenario: Scenario = {
  id: 'articles',
  group: 'news',
  title: 'Article summary pipeline',
  createBackend,
  task: `Summarize each AI article published on ${DAY} in one sentence and publish a digest titled "${TITLE}" with the summaries in feed order. Answer with {digestId, summaries: [{articleId, summary}]}.`,
  atpCode,
  baselineStep,
  judge,
};
