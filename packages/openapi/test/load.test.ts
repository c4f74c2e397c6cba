import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadOpenAPI, openapi } from '@agent-tool-protocol/openapi';
import { type APIGroup, ConfigError, isATPError } from '@agent-tool-protocol/protocol';
import { RecordingServer } from './helpers/recording-server';
import { compileWithDefinitions, nameProblems, schemaProblems } from './helpers/schemas';

const fixture = (name: string) => join(__dirname, 'fixtures', name);
const fn = (group: APIGroup, name: string) => {
  const found = group.functions.find((f) => f.name === name);
  if (!found) throw new Error(`no function ${name} in ${group.functions.map((f) => f.name).join(', ')}`);
  return found;
};

describe('loading the bookshelf fixture (OpenAPI 3.0, YAML, external $ref, circular schemas)', () => {
  let group: APIGroup;
  beforeAll(async () => {
    group = await loadOpenAPI({ name: 'books', path: fixture('bookshelf.yaml') });
  });

  test('is an openapi group with tag-namespaced, unique, valid names in document order', () => {
    expect(group.type).toBe('openapi');
    expect(group.name).toBe('books');
    expect(group.description).toBe('Bookshelf API');
    expect(group.functions.map((f) => f.name)).toEqual([
      'books.listBooks',
      'books.createBook',
      'books.getBook',
      'books.replaceBook',
      'books.deleteBook',
      'books.listSimilar', // operationId `books/list-similar`: the tag prefix is dropped
      'books.uploadCover',
      'books.listShelfBooks',
      'authors.getAuthor',
      'auth.login',
      'getHealth', // no operationId: method + path
      'purgeCache',
      'getReport',
    ]);
    expect(nameProblems(group)).toEqual([]);
  });

  test('every schema is valid JSON Schema and every $ref points into group.definitions', () => {
    expect(schemaProblems(group)).toEqual([]);
  });

  test('circular schemas become named definitions that reference each other', () => {
    expect(group.definitions?.Book?.properties).toMatchObject({ author: { $ref: '#/$defs/Author' } });
    expect(group.definitions?.Author?.properties).toMatchObject({
      books: { type: 'array', items: { $ref: '#/$defs/Book' } },
    });
    expect(fn(group, 'authors.getAuthor').outputSchema).toEqual({ $ref: '#/$defs/Author' });
    const validate = compileWithDefinitions(group, fn(group, 'authors.getAuthor').outputSchema!);
    expect(
      validate({
        id: 'a1',
        name: 'Frank Herbert',
        books: [{ id: 'b1', title: 'Dune', author: { id: 'a1', name: 'F' } }],
      }),
    ).toBe(true);
    expect(validate({ id: 'a1', name: 'Frank Herbert', books: [{ id: 'b1' }] })).toBe(false);
  });

  test('the relative external $ref (common.yaml) is resolved', () => {
    expect(JSON.stringify(group.definitions?.Book)).toContain('"currency"');
    expect(JSON.stringify(group)).not.toContain('common.yaml');
  });

  test('OpenAPI 3.0 dialect becomes JSON Schema: nullable, boolean exclusiveMinimum, example', () => {
    const book = group.definitions?.Book?.properties as Record<string, Record<string, unknown>>;
    expect(book.year).toEqual({ type: ['integer', 'null'] });
    expect(book.rating).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 5 });
    expect(book.id).toEqual({ type: 'string', examples: ['bk_123'] });
  });

  test('inputs: path-level and $ref parameters, required flags, the body under `body`', () => {
    const getBook = fn(group, 'books.getBook').inputSchema!;
    expect(getBook).toEqual({
      type: 'object',
      properties: { bookId: { type: 'string', description: "The book's id." } },
      required: ['bookId'],
      additionalProperties: false,
    });
    const list = fn(group, 'books.listBooks').inputSchema!;
    expect(Object.keys(list.properties as object)).toEqual([
      'tag',
      'ids',
      'filter',
      'sort',
      'limit',
      'X-Request-Id',
      'session',
    ]);
    expect(list.required).toBeUndefined();
    expect((list.properties as Record<string, unknown>).limit).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
    });
    // The body's fields are inputs of their own; the nested `{ body }` form is the second alternative.
    const [flat, nested] = fn(group, 'books.createBook').inputSchema!.anyOf as Record<string, unknown>[];
    const newBook = group.definitions!.NewBook!;
    expect(Object.keys(flat!.properties as object)).toEqual(Object.keys(newBook.properties as object));
    expect(flat!.required).toEqual(newBook.required);
    expect(nested!.required).toEqual(['body']);
    expect((nested!.properties as Record<string, unknown>).body).toEqual({
      $ref: '#/$defs/NewBook',
      description: 'Request body (application/json).',
    });
    const [, loginNested] = fn(group, 'auth.login').inputSchema!.anyOf as Record<string, unknown>[];
    expect((loginNested!.properties as Record<string, { description: string }>).body!.description).toContain(
      'application/x-www-form-urlencoded',
    );
  });

  test('outputs: the 2xx schema, null for no content, string for text', () => {
    expect(fn(group, 'books.listBooks').outputSchema).toEqual({
      type: 'array',
      items: { $ref: '#/$defs/Book' },
    });
    expect(fn(group, 'books.createBook').outputSchema).toEqual({ $ref: '#/$defs/Book' });
    expect(fn(group, 'books.deleteBook').outputSchema).toEqual({ type: 'null' });
    expect(fn(group, 'getHealth').outputSchema).toEqual({ type: 'string' });
  });

  test('metadata: operation type from the method, x-atp-* overrides, method/path/operationId/tags', () => {
    expect(fn(group, 'books.listBooks').metadata).toEqual({
      operationType: 'read',
      tags: ['books'],
      method: 'GET',
      path: '/books',
      operationId: 'listBooks',
    });
    expect(fn(group, 'books.createBook').metadata?.operationType).toBe('write');
    expect(fn(group, 'books.replaceBook').metadata?.operationType).toBe('write');
    expect(fn(group, 'books.deleteBook').metadata?.operationType).toBe('destructive');
    expect(fn(group, 'purgeCache').metadata).toMatchObject({
      operationType: 'destructive',
      sensitivity: 'sensitive',
      requiresApproval: true,
      method: 'POST',
    });
    expect(fn(group, 'getReport').metadata).toMatchObject({ operationType: 'read', sensitivity: 'internal' });
    expect(fn(group, 'books.listBooks').description).toBe('List books\n\nLists books, filtered and sorted.');
  });

  test('group metadata names the source but holds no secrets', () => {
    expect(group.metadata).toMatchObject({
      source: 'openapi',
      specVersion: '3.0',
      baseUrl: 'http://localhost:8080/v1',
    });
  });
});

describe('formats and sources', () => {
  test('OpenAPI 3.1: type arrays, const, examples, $defs inside components', async () => {
    const group = await loadOpenAPI({
      name: 'v31',
      spec: {
        openapi: '3.1.0',
        info: { title: 'v31', version: '1' },
        paths: {
          '/events': {
            post: {
              operationId: 'createEvent',
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } },
              },
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Event: {
              type: 'object',
              properties: {
                kind: { const: 'event' },
                at: { type: ['string', 'null'], format: 'date-time', examples: ['2026-01-01T00:00:00Z'] },
                children: { type: 'array', items: { $ref: '#/components/schemas/Event' } },
              },
            },
          },
        },
      },
      baseUrl: 'http://127.0.0.1:1',
    });
    expect(group.metadata?.specVersion).toBe('3.1');
    expect(group.definitions?.Event).toEqual({
      type: 'object',
      properties: {
        kind: { const: 'event' },
        at: { type: ['string', 'null'], format: 'date-time', examples: ['2026-01-01T00:00:00Z'] },
        children: { type: 'array', items: { $ref: '#/$defs/Event' } },
      },
    });
    expect(schemaProblems(group)).toEqual([]);
  });

  test('Swagger 2.0 (YAML): body and formData parameters become a body, definitions become $defs', async () => {
    const group = await loadOpenAPI({ name: 'petstore', path: fixture('petstore-swagger2.yaml') });
    expect(group.metadata?.specVersion).toBe('2.0');
    expect(group.metadata?.baseUrl).toBe('https://petstore.swagger.io/v2');
    expect(group.functions.map((f) => f.name)).toEqual([
      'pet.addPet',
      'pet.findPetsByStatus',
      'pet.getPetById',
      'pet.updatePetWithForm',
      'pet.deletePet',
      'pet.uploadFile',
      'store.getInventory',
    ]);
    expect(fn(group, 'pet.addPet').inputSchema).toMatchObject({
      anyOf: [
        {
          properties: { name: { type: 'string' }, photoUrls: { type: 'array' } },
          required: ['name', 'photoUrls'],
        },
        { properties: { body: { $ref: '#/$defs/Pet' } }, required: ['body'] },
      ],
    });
    expect(fn(group, 'pet.updatePetWithForm').inputSchema).toMatchObject({
      anyOf: [
        {
          properties: {
            petId: { type: 'integer', format: 'int64' },
            name: { type: 'string' },
            status: { type: 'string' },
          },
          required: ['petId'],
        },
        {
          properties: {
            petId: { type: 'integer', format: 'int64' },
            body: { type: 'object', properties: { name: { type: 'string' }, status: { type: 'string' } } },
          },
          required: ['petId'],
        },
      ],
    });
    expect(fn(group, 'pet.uploadFile').inputSchema).toMatchObject({
      anyOf: [{ properties: { file: { type: 'string', format: 'binary' } } }, {}],
    });
    expect((group.definitions?.Pet?.properties as Record<string, unknown> | undefined)?.status).toEqual({
      type: ['string', 'null'],
      enum: ['available', 'pending', 'sold', null],
    });
    expect(fn(group, 'pet.getPetById').outputSchema).toEqual({ $ref: '#/$defs/Pet' });
    expect(schemaProblems(group)).toEqual([]);
  });

  test('JSON and YAML text given as `spec` load the same functions', async () => {
    const yamlText = await readFile(fixture('petstore-swagger2.yaml'), 'utf8');
    const fromYaml = await loadOpenAPI({ name: 'p', spec: yamlText });
    const { parse } = await import('yaml');
    const fromJson = await loadOpenAPI({ name: 'p', spec: JSON.stringify(parse(yamlText)) });
    expect(fromJson.functions.map((f) => f.name)).toEqual(fromYaml.functions.map((f) => f.name));
    expect(fromJson.definitions).toEqual(fromYaml.definitions);
  });

  test("a spec object with an external $ref is bundled without changing the caller's object", async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'money', version: '1' },
      paths: {
        '/price': {
          get: {
            operationId: 'getPrice',
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { $ref: `${pathToFileURL(fixture('common.yaml')).href}#/Money` },
                  },
                },
              },
            },
          },
        },
      },
    };
    const before = JSON.stringify(spec);
    const group = await loadOpenAPI({ name: 'm', spec, baseUrl: 'http://127.0.0.1:1' });
    expect(JSON.stringify(spec)).toBe(before);
    expect(JSON.stringify(group.functions[0]!.outputSchema)).toContain('"currency"');
  });

  test('file: URLs load like paths', async () => {
    const group = await loadOpenAPI({ name: 'books', url: pathToFileURL(fixture('bookshelf.yaml')).href });
    expect(group.functions).toHaveLength(13);
  });

  test('a remote spec with a relative remote $ref is fetched and bundled; relative servers use its origin', async () => {
    const server = await new RecordingServer().start();
    try {
      const files: Record<string, string> = {
        '/specs/bookshelf.yaml': (await readFile(fixture('bookshelf.yaml'), 'utf8')).replace(
          'http://localhost:{port}/v1',
          '/v1',
        ),
        '/specs/common.yaml': await readFile(fixture('common.yaml'), 'utf8'),
      };
      server.respond = (request, response) => {
        const file = files[request.path];
        response.writeHead(file ? 200 : 404, { 'content-type': 'application/yaml' });
        response.end(file ?? 'not found');
      };
      const group = await openapi.fromSpec('books', { url: `${server.url}/specs/bookshelf.yaml` });
      expect(server.requests.map((r) => r.path)).toEqual(['/specs/bookshelf.yaml', '/specs/common.yaml']);
      expect(JSON.stringify(group.definitions?.Book)).toContain('"currency"');
      expect(group.metadata?.baseUrl).toBe(`${server.url}/v1`);
    } finally {
      await server.stop();
    }
  });
});

describe('selection and naming options', () => {
  test('include keeps operations matching every given field; exclude drops any match', async () => {
    const tagged = await loadOpenAPI({
      name: 'b',
      path: fixture('bookshelf.yaml'),
      include: { tags: ['books'], methods: ['get'] },
    });
    expect(tagged.functions.map((f) => f.name)).toEqual([
      'books.listBooks',
      'books.getBook',
      'books.listSimilar',
      'books.listShelfBooks',
    ]);
    const excluded = await loadOpenAPI({
      name: 'b',
      path: fixture('bookshelf.yaml'),
      exclude: { paths: ['/books*'], operationIds: ['purgeCache'] },
    });
    expect(excluded.functions.map((f) => f.name)).toEqual([
      'books.listShelfBooks',
      'authors.getAuthor',
      'auth.login',
      'getHealth',
      'getReport',
    ]);
    const byRegExp = await loadOpenAPI({
      name: 'b',
      path: fixture('bookshelf.yaml'),
      include: { paths: [/^\/authors\//] },
    });
    expect(byRegExp.functions.map((f) => f.name)).toEqual(['authors.getAuthor']);
    // Only definitions reachable from the kept functions are emitted.
    expect(Object.keys(byRegExp.definitions ?? {}).sort()).toEqual(['Author', 'Book']);
  });

  test('namespaceByTag: false gives flat names', async () => {
    const group = await loadOpenAPI({ name: 'b', path: fixture('bookshelf.yaml'), namespaceByTag: false });
    expect(group.functions.map((f) => f.name)).toContain('booksListSimilar');
    expect(group.functions.map((f) => f.name)).toContain('listBooks');
  });

  test('collisions get numeric suffixes in document order; reserved words and digits are made safe', async () => {
    const op = (operationId?: string, tags?: string[]) => ({
      ...(operationId ? { operationId } : {}),
      ...(tags ? { tags } : {}),
      responses: { '204': { description: 'ok' } },
    });
    const group = await loadOpenAPI({
      name: 'c',
      baseUrl: 'http://127.0.0.1:1',
      spec: {
        openapi: '3.0.0',
        info: { title: 'c', version: '1' },
        paths: {
          '/a': { get: op('get_item'), post: op('getItem') },
          '/b': { get: op('GetItem'), delete: op('delete', ['items']) },
          '/c': { get: op('items'), put: op('2fa-enable'), patch: op('import', ['Default Tag']) },
          '/d/{id}': { get: op(undefined, ['items']), post: op('☃') },
        },
      },
    });
    expect(group.functions.map((f) => f.name)).toEqual([
      'getItem',
      'getItem2',
      'getItem3',
      'items.delete_',
      'items2', // a top-level function never shadows the `items` namespace
      '_2faEnable',
      'defaultTag.import_',
      'items.getDById',
      'postDById',
    ]);
    expect(nameProblems(group)).toEqual([]);
  });
});

describe('errors', () => {
  test('a broken local $ref fails the load with an error naming the ref and where it is used', async () => {
    const error = await loadOpenAPI({ name: 'x', path: fixture('broken-ref.yaml') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Cannot resolve $ref "#/components/schemas/Thingy" at GET /things response 200: "Thingy" does not exist',
    );
  });

  test('a broken external $ref fails the load naming the missing file', async () => {
    const error = await loadOpenAPI({ name: 'x', path: fixture('broken-external-ref.yaml') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('Cannot resolve a $ref');
    expect((error as Error).message).toContain('does-not-exist.yaml');
  });

  test('invalid options name the bad field', async () => {
    const error = await loadOpenAPI({ name: 'has space', spec: {}, timeout: -1 } as never).catch(
      (e: unknown) => e,
    );
    expect(isATPError(error) && error.code).toBe('CONFIG_ERROR');
    expect((error as Error).message).toContain('name: must be a valid identifier');
    expect((error as Error).message).toContain('timeout');
    const neither = await loadOpenAPI({ name: 'x' }).catch((e: unknown) => e);
    expect((neither as Error).message).toContain('exactly one of url, path or spec is required');
  });

  test('documents that are not OpenAPI, or unreadable files, are clear config errors', async () => {
    await expect(loadOpenAPI({ name: 'x', spec: { openapi: '4.0.0', paths: {} } })).rejects.toThrow(
      /not an OpenAPI 3.0\/3.1 or Swagger 2.0 document/,
    );
    await expect(loadOpenAPI({ name: 'x', spec: 'a: [unclosed' })).rejects.toThrow(
      /Cannot parse OpenAPI spec/,
    );
    await expect(loadOpenAPI({ name: 'x', path: fixture('nope.yaml') })).rejects.toThrow(
      /Cannot read OpenAPI spec file/,
    );
  });

  test('an invalid x-atp extension names the operation', async () => {
    await expect(
      loadOpenAPI({
        name: 'x',
        spec: {
          openapi: '3.0.0',
          info: { title: 'x', version: '1' },
          paths: { '/a': { get: { 'x-atp-operation-type': 'dangerous', responses: {} } } },
        },
      }),
    ).rejects.toThrow('x-atp-operation-type of GET /a must be read, write or destructive, got "dangerous"');
  });
});
