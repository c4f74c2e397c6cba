import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';

// Every function input is checked against its JSON Schema before the handler or the request runs
// (docs/validation.md), for each kind of group: a custom group, an OpenAPI spec served on port 0, an
// MCP server from npm and a client tool. Each class of mistake comes back to agent code as a
// catchable Error with code VALIDATION_ERROR, and nothing reaches the handler, the API, the MCP
// server or the client; valid calls go through untouched.

const everythingServer = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);

const PETSTORE = {
  openapi: '3.0.3',
  info: { title: 'Pet store', version: '1' },
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['available', 'pending', 'sold'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
          { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } },
        },
      },
      post: {
        operationId: 'createPet',
        parameters: [{ name: 'X-Request-Id', in: 'header', schema: { type: 'string', format: 'uuid' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } },
        },
        responses: {
          '201': {
            description: 'created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
          },
        },
      },
    },
    '/pets/{petId}': {
      get: {
        operationId: 'getPetById',
        parameters: [
          { name: 'petId', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      NewPet: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          status: { type: 'string', enum: ['available', 'pending', 'sold'] },
          birthday: { type: 'string', format: 'date' },
          owner: {
            type: 'object',
            nullable: true,
            properties: { email: { type: 'string', format: 'email' } },
            required: ['email'],
          },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
        },
      },
      Pet: {
        allOf: [
          { $ref: '#/components/schemas/NewPet' },
          { type: 'object', properties: { id: { type: 'integer', readOnly: true } }, required: ['id'] },
        ],
      },
    },
  },
};

interface Harness {
  server: AgentToolProtocolServer;
  petstore: Server;
  connector: MCPConnector;
  /** Requests the pet store received: `METHOD /path?query`. */
  requests: string[];
  /** Calls that reached a custom or MCP handler, or the client tool: `group.function`. */
  invocations: string[];
  client: AgentToolProtocolClient;
}

let h: Harness;

function counted(group: APIGroup, invocations: string[]): APIGroup {
  return {
    ...group,
    functions: group.functions.map((fn) => ({
      ...fn,
      handler: (input, context) => {
        invocations.push(`${group.name}.${fn.name}`);
        return fn.handler(input, context);
      },
    })),
  };
}

beforeAll(async () => {
  const requests: string[] = [];
  const invocations: string[] = [];
  const petstore = createHttpServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const pet = request.method === 'POST' ? { id: 7, ...JSON.parse(body) } : { id: 1, name: 'Rex' };
      response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(request.url?.startsWith('/pets?') ? [pet] : pet));
    });
  });
  await new Promise<void>((resolve) => petstore.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(petstore.address() as AddressInfo).port}`;

  const crm: APIGroup = {
    name: 'crm',
    type: 'custom',
    functions: [
      {
        name: 'customers.list',
        inputSchema: {
          type: 'object',
          properties: { tier: { type: 'string', enum: ['free', 'pro'] } },
          additionalProperties: false,
        },
        handler: (input: { tier?: string }) => [{ id: 'c1', tier: input?.tier ?? 'free' }],
      },
      {
        name: 'users.create',
        inputSchema: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            email: { type: 'string', format: 'email' },
            age: { type: 'integer', minimum: 0 },
          },
          required: ['name', 'email'],
        },
        handler: (input: { name: string }) => ({ id: 'u1', name: input.name }),
      },
    ],
  };

  const connector = new MCPConnector();
  const everything = await connector.connectToMCPServer({
    name: 'everything',
    command: process.execPath,
    args: [everythingServer, 'stdio'],
  });
  const server = createServer({
    auth: { jwtSecret: 'validation-e2e-secret-long-enough' },
    execution: { isolatePoolSize: 1 },
  });
  server.addAPIGroup(counted(crm, invocations));
  server.addAPIGroup(await loadOpenAPI({ name: 'petstore', spec: PETSTORE, baseUrl, retry: false }));
  server.addAPIGroup(counted(everything, invocations));
  await server.listen(0);

  const client = new AgentToolProtocolClient({ baseUrl: server.url! });
  client.provideTools([
    {
      name: 'pick',
      description: 'Asks the user to pick n items',
      inputSchema: {
        type: 'object',
        properties: {
          n: { type: 'integer', minimum: 1 },
          from: { type: 'array', items: { type: 'string' } },
        },
        required: ['n', 'from'],
      },
      handler: (input: { n: number; from: string[] }) => {
        invocations.push('client.pick');
        return input.from.slice(0, input.n);
      },
    },
  ]);
  await client.init({ name: 'validation-e2e' });
  h = { server, petstore, connector, requests, invocations, client };
}, 60_000);

afterAll(async () => {
  await h?.server.shutdown(1_000);
  await h?.connector.close();
  await new Promise((resolve) => h?.petstore.close(resolve));
});

/** Runs each call in agent code and returns what each one threw, as the agent sees it. */
async function attempt(calls: Record<string, string>): Promise<Record<string, unknown>> {
  const code = `
    const outcomes = {};
    const calls = {${Object.entries(calls)
      .map(([label, call]) => `${JSON.stringify(label)}: () => ${call}`)
      .join(',\n')}};
    for (const [label, call] of Object.entries(calls)) {
      try {
        outcomes[label] = { ran: await call() };
      } catch (error) {
        outcomes[label] = { isError: error instanceof Error, code: error.code, message: error.message };
      }
    }
    return outcomes;`;
  const result = await h.client.execute(code);
  expect(result.status).toBe('completed');
  return result.result as Record<string, unknown>;
}

function rejected(message: string) {
  return { isError: true, code: 'VALIDATION_ERROR', message };
}

describe('input validation through a real server', () => {
  it('custom group: each mistake is rejected before the handler runs; valid calls run', async () => {
    const before = h.invocations.length;
    expect(
      await attempt({
        wrongType: 'api.crm.customers.list({ tier: 5 })',
        notInEnum: "api.crm.customers.list({ tier: 'enterprise' })",
        unknownProperty: "api.crm.customers.list({ tire: 'pro' })",
        missingRequired: "api.crm.users.create({ name: 'Alice' })",
        badFormatAndBound: "api.crm.users.create({ name: 'Alice', email: 'alice', age: -3 })",
      }),
    ).toEqual({
      wrongType: rejected('crm.customers.list: input.tier must be one of "free", "pro"; got 5'),
      notInEnum: rejected('crm.customers.list: input.tier must be one of "free", "pro"; got "enterprise"'),
      unknownProperty: rejected(
        'crm.customers.list: input.tire is not an allowed property; did you mean "tier"?',
      ),
      missingRequired: rejected('crm.users.create: input.email is required'),
      badFormatAndBound: rejected(
        'crm.users.create: 2 problems with the input:\n- input.email must be an email address; got "alice"\n- input.age must be >= 0; got -3',
      ),
    });
    expect(h.invocations.slice(before)).toEqual([]);

    expect(
      await attempt({
        list: "api.crm.customers.list({ tier: 'pro' })",
        create: "api.crm.users.create({ name: 'Alice', email: 'alice@example.com', age: 30 })",
      }),
    ).toEqual({ list: { ran: [{ id: 'c1', tier: 'pro' }] }, create: { ran: { id: 'u1', name: 'Alice' } } });
    expect(h.invocations.slice(before)).toEqual(['crm.customers.list', 'crm.users.create']);
  });

  it('agent code reads the ValidationError: name, code, issues and details, caught or uncaught', async () => {
    const result = await h.client.execute(`
      try {
        await api.crm.users.create({ name: 'Alice', email: 'alice', age: -3 });
        return 'no error';
      } catch (e) {
        return {
          name: e.name,
          code: e.code,
          isError: e instanceof Error,
          text: String(e).split('\\n')[0],
          issues: e.issues,
          sameAsDetails: e.issues === e.details.issues,
        };
      }`);
    expect(result).toMatchObject({
      status: 'completed',
      result: {
        name: 'ValidationError',
        code: 'VALIDATION_ERROR',
        isError: true,
        text: 'ValidationError: crm.users.create: 2 problems with the input:',
        issues: [
          { path: 'input.email', message: expect.stringContaining('must be an email address') },
          { path: 'input.age', message: expect.stringContaining('must be >= 0') },
        ],
        sameAsDetails: true,
      },
    });
    const uncaught = await h.client.execute("return await api.crm.users.create({ name: 'Alice' });");
    expect(uncaught).toMatchObject({
      status: 'failed',
      error: { code: 'VALIDATION_ERROR', message: 'crm.users.create: input.email is required' },
    });
  });

  it('OpenAPI group: each mistake is rejected before any HTTP request; valid calls are sent unchanged', async () => {
    const before = h.requests.length;
    expect(
      await attempt({
        pathParameter: "api.petstore.getPetById({ petId: 'abc' })",
        missingPath: 'api.petstore.getPetById({})',
        queryEnum: "api.petstore.listPets({ status: 'lost', limit: 500 })",
        queryArray: "api.petstore.listPets({ tags: 'dogs' })",
        header: "api.petstore.createPet({ 'X-Request-Id': 'r-1', body: { name: 'Rex' } })",
        missingBody: 'api.petstore.createPet({})',
        bodyFields: "api.petstore.createPet({ body: { name: '', birthday: 'last spring', colour: 'red' } })",
        flatFields: "api.petstore.createPet({ name: '', birthday: 'last spring', colour: 'red' })",
        nested:
          "api.petstore.createPet({ body: { name: 'Rex', owner: { email: 'not-an-email' }, tags: ['a', 'b', 'c', 'd', 'e', 'f'] } })",
      }),
    ).toEqual({
      pathParameter: rejected('petstore.getPetById: input.petId must be an integer; got "abc"'),
      missingPath: rejected('petstore.getPetById: input.petId is required'),
      queryEnum: rejected(
        'petstore.listPets: 2 problems with the input:\n- input.status must be one of "available", "pending", "sold"; got "lost"\n- input.limit must be <= 50; got 500',
      ),
      queryArray: rejected('petstore.listPets: input.tags must be an array; got "dogs"'),
      header: rejected('petstore.createPet: input["X-Request-Id"] must be a UUID; got "r-1"'),
      // With neither the flat body fields nor `body`, both accepted shapes are named.
      missingBody: rejected(
        'petstore.createPet: input must match one of the allowed shapes: an object with X-Request-Id, name, status, birthday, owner | an object with X-Request-Id, body; got an object',
      ),
      flatFields: rejected(
        [
          'petstore.createPet: 3 problems with the input:',
          '- input.colour is not an allowed property (allowed: "X-Request-Id", "name", "status", "birthday", "owner", "tags")',
          '- input.name must have at least 1 characters; got ""',
          '- input.birthday must be a date (YYYY-MM-DD); got "last spring"',
        ].join('\n'),
      ),
      bodyFields: rejected(
        [
          'petstore.createPet: 3 problems with the input:',
          '- input.body.colour is not an allowed property (allowed: "name", "status", "birthday", "owner", "tags")',
          '- input.body.name must have at least 1 characters; got ""',
          '- input.body.birthday must be a date (YYYY-MM-DD); got "last spring"',
        ].join('\n'),
      ),
      nested: rejected(
        'petstore.createPet: 2 problems with the input:\n- input.body.owner.email must be an email address; got "not-an-email"\n- input.body.tags must have at most 5 items; got an array of 6 items',
      ),
    });
    expect(h.requests.slice(before)).toEqual([]);

    const valid = await attempt({
      get: 'api.petstore.getPetById({ petId: 1 })',
      list: "api.petstore.listPets({ status: 'available', limit: 10, tags: ['dogs', 'small'] })",
      create:
        "api.petstore.createPet({ 'X-Request-Id': '6f1c2b9e-8d3a-4e5f-9a7b-1c2d3e4f5a6b', body: { name: 'Rex', owner: null, birthday: '2020-02-29' } })",
    });
    expect(valid).toEqual({
      get: { ran: { id: 1, name: 'Rex' } },
      list: { ran: [{ id: 1, name: 'Rex' }] },
      create: { ran: { id: 7, name: 'Rex', owner: null, birthday: '2020-02-29' } },
    });
    expect(h.requests.slice(before)).toEqual([
      'GET /pets/1',
      'GET /pets?status=available&limit=10&tags=dogs&tags=small',
      'POST /pets',
    ]);
  });

  it('MCP server from npm: each mistake is rejected before tools/call; valid calls run', async () => {
    const before = h.invocations.length;
    expect(
      await attempt({
        missing: 'api.everything.get_sum({ a: 2 })',
        wrongType: "api.everything.get_sum({ a: 2, b: '40' })",
        notInEnum: "api.everything.get_structured_content({ location: 'Paris' })",
        format: "api.everything.gzip_file_as_resource({ data: 'not a uri' })",
      }),
    ).toEqual({
      missing: rejected('everything.get_sum: input.b is required'),
      wrongType: rejected('everything.get_sum: input.b must be a number; got "40"'),
      notInEnum: rejected(
        'everything.get_structured_content: input.location must be one of "New York", "Chicago", "Los Angeles"; got "Paris"',
      ),
      format: rejected(
        'everything.gzip_file_as_resource: input.data must be an absolute URI; got "not a uri"',
      ),
    });
    expect(h.invocations.slice(before)).toEqual([]);

    expect(
      await attempt({
        sum: 'api.everything.get_sum({ a: 2, b: 40 })',
        echo: "api.everything.echo({ message: 'hi' })",
      }),
    ).toEqual({ sum: { ran: 'The sum of 2 and 40 is 42.' }, echo: { ran: 'Echo: hi' } });
    expect(h.invocations.slice(before)).toEqual(['everything.get_sum', 'everything.echo']);
  });

  it('client tools: a bad input is rejected before the execution pauses for the client', async () => {
    const before = h.invocations.length;
    expect(
      await attempt({
        missing: 'api.client.pick({ n: 2 })',
        bound: "api.client.pick({ n: 0, from: ['a'] })",
        itemType: "api.client.pick({ n: 1, from: ['a', 2] })",
      }),
    ).toEqual({
      missing: rejected('client.pick: input.from is required'),
      bound: rejected('client.pick: input.n must be >= 1; got 0'),
      itemType: rejected('client.pick: input.from[1] must be a string; got 2'),
    });
    expect(h.invocations.slice(before)).toEqual([]);
    expect(await attempt({ valid: "api.client.pick({ n: 2, from: ['a', 'b', 'c'] })" })).toEqual({
      valid: { ran: ['a', 'b'] },
    });
    expect(h.invocations.slice(before)).toEqual(['client.pick']);
  });

  it('an uncaught validation error fails the execution with its code and message', async () => {
    const result = await h.client.execute("return await api.crm.customers.list({ tier: 'enterprise' });");
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining(
        'crm.customers.list: input.tier must be one of "free", "pro"; got "enterprise"',
      ),
    });
  });
});
