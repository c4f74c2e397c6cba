import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestHttpServer {
  url: string;
  requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port answering with `respond`. */
export async function startHttpServer(
  respond: (request: { method: string; url: string; body: string }) => { status?: number; json: unknown },
): Promise<TestHttpServer> {
  const requests: TestHttpServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += String(chunk);
    });
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(request);
      const answer = respond(request);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bookshelf API's `GET /v1/books`, enough for listBooks. */
export function startBookshelfBackend(): Promise<TestHttpServer> {
  return startHttpServer(({ url }) =>
    url.startsWith('/v1/books')
      ? { json: [{ id: 1, title: 'Dune', authorId: 7, tags: ['sf'] }] }
      : { status: 404, json: { error: 'not found' } },
  );
}

/** An OpenAI-compatible `/v1/chat/completions` that answers `echo: <last user message>`. */
export function startFakeLLM(): Promise<TestHttpServer> {
  return startHttpServer(({ url, body }) => {
    if (!url.endsWith('/chat/completions')) return { status: 404, json: { error: 'not found' } };
    const { messages } = JSON.parse(body) as { messages: Array<{ role: string; content: string }> };
    const last = messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
    return {
      json: {
        choices: [{ message: { role: 'assistant', content: `echo: ${last}` } }],
        usage: { prompt_tokens: 5, completion_tokens: 3 },
      },
    };
  });
}

/** A GraphQL API (graphql-js): `greeting(name)`, `whoami` (the Authorization header it got), `setGreeting`. */
export async function startGraphQLBackend(): Promise<TestHttpServer> {
  const { buildSchema, graphqlSync } = await import('graphql');
  const schema = buildSchema(`
    type Query { greeting(name: String!): String!, whoami: String }
    type Mutation { setGreeting(template: String!): String! }
  `);
  let template = 'Hello, NAME!';
  const server = await startHttpServer(({ body }) => {
    const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const headers = server.requests.at(-1)?.headers ?? {};
    const rootValue = {
      greeting: ({ name }: { name: string }) => template.replace('NAME', name),
      whoami: () => headers.authorization ?? null,
      setGreeting: ({ template: next }: { template: string }) => {
        template = next;
        return next;
      },
    };
    return { json: graphqlSync({ schema, source: query, rootValue, variableValues: variables ?? null }) };
  });
  return { ...server, url: `${server.url}/graphql` };
}
