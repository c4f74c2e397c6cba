import { join } from 'node:path';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import {
  type APIGroup,
  type FunctionCallContext,
  isATPError,
  type ToolCallError,
} from '@agent-tool-protocol/protocol';
import { RecordingServer, sendJson } from './helpers/recording-server';

const fixture = (name: string) => join(__dirname, 'fixtures', name);
const context: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };

function callOf(group: APIGroup) {
  return (name: string, input?: unknown, ctx: FunctionCallContext = context) => {
    const found = group.functions.find((f) => f.name === name);
    if (!found) throw new Error(`no function ${name}`);
    return Promise.resolve(found.handler(input, ctx));
  };
}

async function failure(promise: Promise<unknown>): Promise<ToolCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isATPError(error)) throw new Error(`expected an ATPError, got ${String(error)}`);
  return error as ToolCallError;
}

const server = new RecordingServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.respond = (_request, response) => sendJson(response, 200, { ok: true });
});

describe('parameters and bodies (OpenAPI 3.0 bookshelf)', () => {
  let call: ReturnType<typeof callOf>;
  beforeAll(async () => {
    const group = await loadOpenAPI({
      name: 'books',
      path: fixture('bookshelf.yaml'),
      baseUrl: `${server.url}/v1/`,
    });
    call = callOf(group);
  });

  test('query styles: form explode, form non-explode, deepObject, pipeDelimited; header and cookie', async () => {
    await call('books.listBooks', {
      tag: ['sci fi', 'classic'],
      ids: [1, 2, 3],
      filter: { genre: 'sf', year: 1965 },
      sort: ['year', 'title'],
      limit: 5,
      'X-Request-Id': 'req-42',
      session: 'abc def',
    });
    const request = server.last;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v1/books');
    expect(request.url).toBe(
      '/v1/books?tag=sci%20fi&tag=classic&ids=1,2,3&filter%5Bgenre%5D=sf&filter%5Byear%5D=1965&sort=year%7Ctitle&limit=5',
    );
    expect([...request.query]).toEqual([
      ['tag', 'sci fi'],
      ['tag', 'classic'],
      ['ids', '1,2,3'],
      ['filter[genre]', 'sf'],
      ['filter[year]', '1965'],
      ['sort', 'year|title'],
      ['limit', '5'],
    ]);
    expect(request.headers['x-request-id']).toBe('req-42');
    expect(request.headers.cookie).toBe('session=abc%20def');
    expect(request.headers.accept).toBe('application/json');
  });

  test('optional parameters left out are not sent', async () => {
    await call('books.listBooks', {});
    expect(server.last.url).toBe('/v1/books');
    expect(server.last.headers.cookie).toBeUndefined();
  });

  test('path parameters: simple (encoded), label arrays, matrix; form non-explode objects in the query', async () => {
    await call('books.getBook', { bookId: 'a/b c' });
    expect(server.last.url).toBe('/v1/books/a%2Fb%20c');
    await call('books.listShelfBooks', { shelfIds: ['s1', 's2'], coords: { x: 1.5, y: 2 } });
    expect(server.last.url).toBe('/v1/shelves/.s1,s2/books?coords=x,1.5,y,2');
    await call('getReport', { year: 2024 });
    expect(server.last.url).toBe('/v1/reports/;year=2024');
  });

  test('JSON body: sent as JSON with its content type; the 201 result is parsed', async () => {
    server.respond = (request, response) =>
      sendJson(response, 201, { id: 'bk_1', ...JSON.parse(request.body.toString()) });
    const result = await call('books.createBook', { body: { title: 'Dune', year: 1965, tags: ['sf'] } });
    expect(server.last.method).toBe('POST');
    expect(server.last.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.last.body.toString())).toEqual({ title: 'Dune', year: 1965, tags: ['sf'] });
    expect(result).toEqual({ id: 'bk_1', title: 'Dune', year: 1965, tags: ['sf'] });
  });

  test('form-urlencoded body: arrays repeated, deepObject encoding, booleans as text', async () => {
    await call('auth.login', {
      body: {
        username: 'ada',
        password: 'p@ss word',
        remember: true,
        scopes: ['read', 'write'],
        profile: { locale: 'en' },
      },
    });
    expect(server.last.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.last.body.toString()).toBe(
      'username=ada&password=p%40ss+word&remember=true&scopes=read&scopes=write&profile%5Blocale%5D=en',
    );
  });

  test('multipart body: binary field as a file, strings as fields, objects as JSON parts', async () => {
    server.respond = async (request, response) => {
      const form = await new Response(request.body, {
        headers: { 'content-type': request.headers['content-type']! },
      }).formData();
      const file = form.get('file') as File;
      sendJson(response, 200, {
        url: `/covers/${file.name}`,
        bytes: file.size,
        text: await file.text(),
        caption: form.get('caption'),
        meta: await (form.get('meta') as Blob).text(),
      });
    };
    const result = await call('books.uploadCover', {
      bookId: 'bk_1',
      body: { file: 'PNG-BYTES', caption: 'Front', meta: { width: 600 } },
    });
    expect(server.last.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(result).toEqual({
      url: '/covers/file',
      bytes: 9,
      text: 'PNG-BYTES',
      caption: 'Front',
      meta: '{"width":600}',
    });
  });

  test('responses: 204 gives null, text/plain a string, binary base64', async () => {
    server.respond = (_request, response) => {
      response.writeHead(204);
      response.end();
    };
    expect(await call('books.deleteBook', { bookId: 'bk_1' })).toBeNull();
    expect(server.last.method).toBe('DELETE');
    server.respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('ok: healthy');
    };
    expect(await call('getHealth')).toBe('ok: healthy');
    expect(server.last.headers.accept).toBe('text/plain');
    server.respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.from([0, 1, 2, 255]));
    };
    expect(await call('getHealth')).toBe('AAEC/w==');
  });

  test('input problems: missing required and unknown fields are validation errors naming the field', async () => {
    const missing = await failure(call('books.getBook', {}));
    expect(missing.code).toBe('VALIDATION_ERROR');
    expect(missing.message).toBe('books.books.getBook: missing required input "bookId"');
    const unknown = await failure(call('books.getBook', { bookId: '1', bookid: '1' }));
    expect(unknown.message).toBe('books.books.getBook: unknown input "bookid"; expected one of: bookId');
    expect(server.requests).toHaveLength(0);
  });

  test('a path parameter cannot climb out of the operation path with dot segments', async () => {
    for (const bookId of ['..', '.']) {
      const error = await failure(call('books.getBook', { bookId }));
      expect(error.message).toBe('books.books.getBook: path parameter "bookId" must not be "." or ".."');
    }
    await call('books.getBook', { bookId: '../admin' });
    expect(server.last.path).toBe('/v1/books/..%2Fadmin');
    await call('books.getBook', { bookId: '%2e%2E' });
    expect(server.last.path).toBe('/v1/books/%252e%252E');
  });
});

describe('Swagger 2.0 calls', () => {
  let call: ReturnType<typeof callOf>;
  beforeAll(async () => {
    const group = await loadOpenAPI({
      name: 'petstore',
      path: fixture('petstore-swagger2.yaml'),
      baseUrl: `${server.url}/v2`,
    });
    call = callOf(group);
  });

  test('the body parameter is sent as JSON', async () => {
    await call('pet.addPet', { body: { name: 'Rex', photoUrls: [] } });
    expect(server.last.method).toBe('POST');
    expect(server.last.path).toBe('/v2/pet');
    expect(server.last.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.last.body.toString())).toEqual({ name: 'Rex', photoUrls: [] });
  });

  test('collectionFormat multi and csv', async () => {
    await call('pet.findPetsByStatus', { status: ['available', 'sold'], fields: ['id', 'name'] });
    expect(server.last.url).toBe('/v2/pet/findByStatus?status=available&status=sold&fields=id,name');
  });

  test('formData parameters are sent form-urlencoded, header parameters as headers', async () => {
    await call('pet.updatePetWithForm', { petId: 7, body: { name: 'Rex', status: 'sold' } });
    expect(server.last.path).toBe('/v2/pet/7');
    expect(server.last.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.last.body.toString()).toBe('name=Rex&status=sold');
    await call('pet.deletePet', { petId: 7, api_key: 'k-1' });
    expect(server.last.method).toBe('DELETE');
    expect(server.last.headers.api_key).toBe('k-1');
  });

  test('type: file formData is sent as multipart with a file part', async () => {
    server.respond = async (request, response) => {
      const form = await new Response(request.body, {
        headers: { 'content-type': request.headers['content-type']! },
      }).formData();
      sendJson(response, 200, {
        code: 200,
        message: `${(form.get('file') as File).name}:${await (form.get('file') as File).text()}:${form.get('additionalMetadata')}`,
      });
    };
    const result = await call('pet.uploadFile', {
      petId: 1,
      body: { file: 'hello', additionalMetadata: 'front' },
    });
    expect(result).toEqual({ code: 200, message: 'file:hello:front' });
  });
});

describe('HTTP behaviour', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'h', version: '1' },
    servers: [
      {
        url: '{scheme}://{host}/api/{version}',
        variables: {
          scheme: { default: 'https' },
          host: { default: 'example.com' },
          version: { default: 'v1' },
        },
      },
    ],
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } },
          },
        },
        post: {
          operationId: 'createItem',
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '201': { description: 'ok' } },
        },
      },
    },
  };
  const load = (options: Record<string, unknown> = {}) =>
    loadOpenAPI({ name: 'h', spec, baseUrl: server.url, retry: { baseDelayMs: 5 }, ...options }).then(callOf);

  test('server variables: defaults, overrides, and baseUrl wins', async () => {
    const host = server.url.replace('http://', '');
    const call = await loadOpenAPI({
      name: 'h',
      spec,
      serverVariables: { scheme: 'http', host, version: 'v2' },
    }).then(callOf);
    await call('listItems');
    expect(server.last.path).toBe('/api/v2/items');
    const group = await loadOpenAPI({ name: 'h', spec });
    expect(group.metadata?.baseUrl).toBe('https://example.com/api/v1');
  });

  test('non-2xx: HTTP_ERROR with the status, operation name and a truncated body', async () => {
    server.respond = (_request, response) =>
      sendJson(response, 404, { message: 'Not Found', padding: 'x'.repeat(2000) });
    const error = await failure((await load())('listItems'));
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(404);
    expect(error.message).toMatch(
      /^h\.listItems failed: HTTP 404 Not Found: \{"message":"Not Found","padding":"x+…$/,
    );
    expect(error.message.length).toBeLessThan(600);
  });

  test('429 and 503 on GET are retried, honouring Retry-After', async () => {
    let count = 0;
    server.respond = (_request, response) => {
      count++;
      if (count === 1) return sendJson(response, 429, { error: 'slow down' }, { 'retry-after': '1' });
      if (count === 2) return sendJson(response, 503, { error: 'busy' });
      return sendJson(response, 200, [1, 2]);
    };
    const started = Date.now();
    expect(await (await load())('listItems')).toEqual([1, 2]);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('retries stop after the configured count; POST is never retried', async () => {
    server.respond = (_request, response) => sendJson(response, 503, { error: 'busy' });
    const call = await load({ retry: { retries: 1, baseDelayMs: 1 } });
    expect((await failure(call('listItems'))).status).toBe(503);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    expect((await failure(call('createItem', { body: {} }))).status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  test('a Retry-After longer than maxDelayMs is not waited for', async () => {
    server.respond = (_request, response) =>
      sendJson(response, 429, { error: 'later' }, { 'retry-after': '3600' });
    const error = await failure((await load({ retry: { maxDelayMs: 100 } }))('listItems'));
    expect(error.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  test('a slow server hits the per-call timeout (TIMEOUT)', async () => {
    server.respond = (_request, response) => {
      setTimeout(() => sendJson(response, 200, []), 500);
    };
    const error = await failure((await load({ timeout: 50 }))('listItems'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('h.listItems timed out after 50 ms');
  });

  test('an aborted execution cancels the call', async () => {
    server.respond = (_request, response) => {
      setTimeout(() => sendJson(response, 200, []), 500);
    };
    const controller = new AbortController();
    const pending = (await load())('listItems', {}, { ...context, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await failure(pending)).code).toBe('CANCELLED');
  });

  test('responses over maxResponseBytes are refused, with or without content-length', async () => {
    server.respond = (_request, response) => sendJson(response, 200, ['x'.repeat(5000)]);
    const call = await load({ maxResponseBytes: 1000 });
    expect((await failure(call('listItems'))).code).toBe('RESULT_TOO_LARGE');
    server.respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('["');
      response.write('y'.repeat(3000));
      response.end('"]');
    };
    expect((await failure(call('listItems'))).code).toBe('RESULT_TOO_LARGE');
  });

  test('a refused connection is a retryable TOOL_ERROR without the URL', async () => {
    const closed = new RecordingServer();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const call = await loadOpenAPI({ name: 'h', spec, baseUrl: url }).then(callOf);
    const error = await failure(call('listItems'));
    expect(error.code).toBe('TOOL_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('h.listItems failed: network error (ECONNREFUSED)');
  });

  test('a spec with only relative servers and no baseUrl fails at call time with a clear message', async () => {
    const call = await loadOpenAPI({ name: 'h', spec: { ...spec, servers: [{ url: '/api' }] } }).then(callOf);
    expect((await failure(call('listItems'))).message).toBe(
      'h.listItems: the spec has no absolute server URL; set baseUrl in loadOpenAPI',
    );
  });

  test('configured headers are sent with every call', async () => {
    await (await load({ headers: { 'X-Client': 'atp' } }))('listItems');
    expect(server.last.headers['x-client']).toBe('atp');
  });
});

describe('less common spec shapes', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 's', version: '1' },
    servers: [{ url: 'https://unused.example.com' }],
    paths: {
      '/things/{id}': {
        servers: [{ url: '{base}/alt', variables: { base: { default: 'https://unused.example.com' } } }],
        post: {
          operationId: 'getThing',
          security: [{ oauth: ['things:read', 'things:admin'] }],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'id', in: 'query', schema: { type: 'string' } },
            { name: 'body', in: 'query', schema: { type: 'string' } },
            { name: 'where', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } },
          ],
          requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } },
          responses: {
            '2XX': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
    },
  };

  test('same-named parameters, a parameter named body, JSON-content parameters, text bodies, path-level servers', async () => {
    const group = await loadOpenAPI({ name: 's', spec, serverVariables: { base: server.url } });
    const getThing = group.functions[0]!;
    expect(Object.keys(getThing.inputSchema?.properties as object)).toEqual([
      'id',
      'query_id',
      'body',
      'where',
      'requestBody',
    ]);
    expect(getThing.metadata?.requiredScopes).toEqual(['things:read', 'things:admin']);
    expect(getThing.metadata?.operationType).toBe('write');
    await getThing.handler(
      { id: 'p 1', query_id: 'q1', body: 'b', where: { a: [1] }, requestBody: 'hello text' },
      context,
    );
    expect(server.last.method).toBe('POST');
    expect(server.last.path).toBe('/alt/things/p%201');
    expect([...server.last.query]).toEqual([
      ['id', 'q1'],
      ['body', 'b'],
      ['where', '{"a":[1]}'],
    ]);
    expect(server.last.headers['content-type']).toBe('text/plain');
    expect(server.last.body.toString()).toBe('hello text');
  });
});

test('a request body declared on GET is ignored (fetch cannot send one) and left out of the input', async () => {
  const group = await loadOpenAPI({
    name: 'g',
    baseUrl: server.url,
    spec: {
      openapi: '3.1.0',
      info: { title: 'g', version: '1' },
      paths: {
        '/search': {
          get: {
            operationId: 'search',
            requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    },
  });
  expect(group.functions[0]!.inputSchema?.properties).toEqual({});
  expect(group.functions[0]!.outputSchema).toEqual({});
  expect(await group.functions[0]!.handler({}, context)).toEqual({ ok: true });
  expect(server.last.method).toBe('GET');
});
