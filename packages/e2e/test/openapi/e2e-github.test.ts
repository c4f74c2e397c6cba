import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';
import { RecordingServer, sendJson } from '../../../openapi/test/helpers/recording-server';

// GitHub's full spec (1,200+ operations) behind a real ATP server. The API itself is a local stand-in
// (the real one needs the internet): it records what the generated calls send and answers like GitHub.
const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
const TOKEN = 'ghp_e2eTestTokenThatMustNotLeak0001';

let github: RecordingServer;
let server: AgentToolProtocolServer;
let client: AgentToolProtocolClient;

beforeAll(async () => {
  github = await new RecordingServer().start();
  github.respond = (request, response) => {
    if (request.method === 'GET' && request.path === '/repos/acme/app/issues') {
      return sendJson(response, 200, [
        { number: 7, title: 'Flaky test', state: 'open', labels: [{ name: 'bug' }] },
        { number: 9, title: 'Crash on start', state: 'open', labels: [{ name: 'bug' }, { name: 'p1' }] },
      ]);
    }
    if (request.method === 'POST' && request.path === '/repos/acme/app/issues') {
      const input = JSON.parse(request.body.toString('utf8')) as { title: string };
      return sendJson(response, 201, { number: 42, title: input.title, state: 'open' });
    }
    return sendJson(response, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
    });
  };
  const group = await loadOpenAPI({
    name: 'github',
    path: githubSpec,
    baseUrl: github.url,
    auth: { scheme: 'bearer', token: TOKEN },
    retry: false,
  });
  server = createServer({
    auth: { jwtSecret: 'openapi-e2e-github-jwt-secret' },
    execution: { isolatePoolSize: 1 },
  });
  server.addAPIGroup(group);
  await server.listen(0);
  client = new AgentToolProtocolClient({ baseUrl: server.url! });
  await client.init({ name: 'github-e2e' });
}, 60_000);

afterAll(async () => {
  await server.shutdown(1_000);
  await github.stop();
});

test('agents find GitHub functions by searching', async () => {
  const hits = await client.searchQuery('create an issue in a repository', { apiGroups: ['github'] });
  expect(hits.slice(0, 5).map((hit) => hit.functionName)).toContain('issues.create');
});

test('agent code lists and creates issues; the requests are what GitHub expects', async () => {
  const result = await client.execute(`
    const open = await api.github.issues.listForRepo({ owner: 'acme', repo: 'app', state: 'open', labels: 'bug', per_page: 5 });
    const urgent = open.filter((issue) => issue.labels.some((label) => label.name === 'p1'));
    const created = await api.github.issues.create({
      owner: 'acme',
      repo: 'app',
      title: 'Triage: ' + urgent.map((issue) => '#' + issue.number).join(', '),
      labels: ['triage'],
    });
    return { open: open.map((issue) => issue.number), created: created.number, title: created.title };
  `);
  expect(result).toMatchObject({
    status: 'completed',
    result: { open: [7, 9], created: 42, title: 'Triage: #9' },
  });
  const [list, create] = github.requests.slice(-2);
  expect(list).toMatchObject({ method: 'GET', path: '/repos/acme/app/issues' });
  expect(Object.fromEntries(list!.query)).toEqual({ state: 'open', labels: 'bug', per_page: '5' });
  expect(list!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(create).toMatchObject({ method: 'POST', path: '/repos/acme/app/issues' });
  expect(create!.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(create!.body.toString('utf8'))).toEqual({ title: 'Triage: #9', labels: ['triage'] });
});

test("GitHub's 404 is catchable in the sandbox; the token is in no answer", async () => {
  const result = await client.execute(`
    try { await api.github.repos.get({ owner: 'acme', repo: 'missing' }); }
    catch (e) { return { status: e.status, code: e.code, message: e.message }; }
  `);
  expect(result.result).toMatchObject({ status: 404, code: 'HTTP_ERROR' });
  expect((result.result as { message: string }).message).toMatch(
    /^github\.repos\.get failed: HTTP 404 Not Found: \{"message":"Not Found"/,
  );
  const definitions = await client.getTypeDefinitions({ apiGroups: ['github'] });
  expect(definitions).toContain('listForRepo');
  expect(JSON.stringify([result, definitions])).not.toContain(TOKEN);
});
