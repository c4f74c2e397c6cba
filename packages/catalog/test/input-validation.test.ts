import { Catalog, type CatalogLogger } from '@agent-tool-protocol/catalog';
import {
  type APIGroup,
  ErrorCode,
  type FunctionDef,
  type JSONSchema,
  ValidationError,
} from '@agent-tool-protocol/protocol';

const CONTEXT = { clientId: 'c1', executionId: 'e1' };

interface Recorded {
  group: APIGroup;
  calls: Array<{ name: string; input: unknown }>;
}

function recordingGroup(
  functions: Array<Omit<FunctionDef, 'handler'>>,
  extra: Partial<APIGroup> = {},
  result: unknown = { ok: true },
): Recorded {
  const calls: Recorded['calls'] = [];
  const group: APIGroup = {
    name: 'crm',
    type: 'custom',
    functions: functions.map((fn) => ({
      ...fn,
      handler: (input: unknown) => {
        calls.push({ name: fn.name, input });
        return result;
      },
    })),
    ...extra,
  };
  return { group, calls };
}

function catalogWith(recorded: Recorded, options: ConstructorParameters<typeof Catalog>[0] = {}): Catalog {
  const catalog = new Catalog(options);
  catalog.addGroup(recorded.group);
  return catalog;
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error('expected the call to fail');
}

function recordingLogger(): CatalogLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    debug() {},
    info() {},
    warn: (_data: unknown, message: unknown) => warnings.push(String(message)),
    error() {},
    warnings,
  };
}

const customersList = {
  name: 'customers.list',
  inputSchema: {
    type: 'object',
    properties: {
      tier: { type: 'string', enum: ['free', 'pro'] },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
    },
    additionalProperties: false,
  },
};

const createUser = {
  name: 'users.create',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 40 },
      email: { type: 'string', format: 'email' },
      website: { type: 'string', format: 'uri' },
      id: { type: 'string', format: 'uuid' },
      birthday: { type: 'string', format: 'date' },
      createdAt: { type: 'string', format: 'date-time' },
      age: { type: 'integer', minimum: 0, exclusiveMaximum: 150 },
      tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3, uniqueItems: true },
      address: {
        type: 'object',
        properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
        required: ['city'],
        additionalProperties: false,
      },
      contact: {
        oneOf: [
          { type: 'object', properties: { phone: { type: 'string' } }, required: ['phone'] },
          { type: 'object', properties: { pager: { type: 'integer' } }, required: ['pager'] },
        ],
      },
      note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    },
    required: ['name', 'email'],
    additionalProperties: false,
  },
};

const validUser = {
  name: 'Alice',
  email: 'alice@example.com',
  website: 'https://example.com/alice',
  id: '6f1c2b9e-8d3a-4e5f-9a7b-1c2d3e4f5a6b',
  birthday: '1990-04-01',
  createdAt: '2024-05-01T12:00:00Z',
  age: 34,
  tags: ['vip', 'beta'],
  address: { city: 'Paris', zip: '75001' },
  contact: { phone: '+33 1 23 45 67 89' },
  note: null,
};

describe('input validation: each class of mistake is rejected before the handler runs', () => {
  const recorded = recordingGroup([customersList, createUser]);
  const catalog = catalogWith(recorded);
  const list = catalog.resolve('crm.customers.list')!;
  const create = catalog.resolve('crm.users.create')!;

  afterEach(() => {
    expect(recorded.calls).toEqual([]);
  });

  it('an enum value outside the list names the allowed values', async () => {
    const error = await rejection(list.call({ tier: 'enterprise' }, CONTEXT));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe(
      'crm.customers.list: input.tier must be one of "free", "pro"; got "enterprise"',
    );
    expect(error.issues).toEqual([
      { path: 'input.tier', message: 'must be one of "free", "pro"; got "enterprise"' },
    ]);
  });

  it.each([
    [{ tier: 5 }, 'input.tier must be one of "free", "pro"; got 5'],
    [{ limit: 2.5 }, 'input.limit must be an integer; got 2.5'],
    [{ limit: 0 }, 'input.limit must be >= 1; got 0'],
    [{ limit: 101 }, 'input.limit must be <= 100; got 101'],
    [{ limits: 10 }, 'input.limits is not an allowed property; did you mean "limit"?'],
    [{ page: 2 }, 'input.page is not an allowed property (allowed: "tier", "limit")'],
    ['free', 'input must be an object; got "free"'],
  ])('%j → %s', async (input, expected) => {
    expect((await rejection(list.call(input, CONTEXT))).message).toBe(`crm.customers.list: ${expected}`);
  });

  it.each([
    [{ name: 'Alice' }, 'input.email is required'],
    [
      { ...validUser, email: 'alice.example.com' },
      'input.email must be an email address; got "alice.example.com"',
    ],
    [{ ...validUser, website: 'example.com' }, 'input.website must be an absolute URI; got "example.com"'],
    [{ ...validUser, id: '1234' }, 'input.id must be a UUID; got "1234"'],
    [
      { ...validUser, birthday: '01/04/1990' },
      'input.birthday must be a date (YYYY-MM-DD); got "01/04/1990"',
    ],
    [
      { ...validUser, createdAt: 'yesterday' },
      'input.createdAt must be a date-time (RFC 3339, e.g. "2024-05-01T12:00:00Z"); got "yesterday"',
    ],
    [{ ...validUser, name: 'A' }, 'input.name must have at least 2 characters; got "A"'],
    [{ ...validUser, age: 150 }, 'input.age must be < 150; got 150'],
    [
      { ...validUser, tags: ['a', 'b', 'c', 'd'] },
      'input.tags must have at most 3 items; got an array of 4 items',
    ],
    [{ ...validUser, tags: ['a', 'a'] }, 'input.tags must not repeat items (items 0 and 1 are equal)'],
    [{ ...validUser, tags: ['ok', 7] }, 'input.tags[1] must be a string; got 7'],
    [
      { ...validUser, tags: ['far-too-long-tag'] },
      'input.tags[0] must have at most 10 characters; got "far-too-long-tag"',
    ],
    [{ ...validUser, address: { zip: '75001' } }, 'input.address.city is required'],
    [
      { ...validUser, address: { city: 'Paris', zip: 'abc' } },
      'input.address.zip must match the pattern "^[0-9]{5}$"; got "abc"',
    ],
    [
      { ...validUser, address: { city: 'Paris', country: 'FR' } },
      'input.address.country is not an allowed property (allowed: "city", "zip")',
    ],
    [
      { ...validUser, contact: { email: 'a@b.c' } },
      'input.contact must match one of the allowed shapes: an object with phone | an object with pager; got an object',
    ],
    // The alternative naming the value's keys explains the failure (here: the pager form).
    [{ ...validUser, contact: { pager: 'five' } }, 'input.contact.pager must be an integer; got "five"'],
    [{ ...validUser, note: 3 }, 'input.note must match one of the allowed shapes: a string | null; got 3'],
  ])('%j → %s', async (input, expected) => {
    expect((await rejection(create.call(input, CONTEXT))).message).toBe(`crm.users.create: ${expected}`);
  });

  it('reports every problem at once, listed one per line', async () => {
    const error = await rejection(create.call({ name: 'A', email: 'nope', age: -1, extra: true }, CONTEXT));
    expect(error.message).toBe(
      [
        'crm.users.create: 4 problems with the input:',
        '- input.extra is not an allowed property (allowed: "name", "email", "website", "id", "birthday", "createdAt", "age", "tags", "address", "contact", "note")',
        '- input.name must have at least 2 characters; got "A"',
        '- input.email must be an email address; got "nope"',
        '- input.age must be >= 0; got -1',
      ].join('\n'),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'input.extra',
      'input.name',
      'input.email',
      'input.age',
    ]);
  });

  it('caps the list in the message and in the issues', async () => {
    const error = await rejection(
      create.call({ name: 'Alice', email: 'a@b.co', tags: Array(80).fill(1) }, CONTEXT),
    );
    expect(error.message).toMatch(/^crm\.users\.create: \d+ problems with the input:\n/);
    expect(error.message.split('\n')).toHaveLength(10); // the headline, 8 problems, "… and N more"
    expect(error.message).toMatch(/- … and \d+ more$/);
    expect(error.issues.length).toBeLessThanOrEqual(50);
  });

  it('exposes the check as validateInput for callers that check before running anything', () => {
    expect(() => create.validateInput!({ name: 'Alice' })).toThrow(
      'crm.users.create: input.email is required',
    );
    expect(() => create.validateInput!(validUser)).not.toThrow();
  });
});

describe('input validation: valid calls are untouched', () => {
  it('passes the very same input object to the handler, and absent input stays absent', async () => {
    const recorded = recordingGroup([customersList, createUser]);
    const catalog = catalogWith(recorded);
    const input = structuredClone(validUser);
    expect(await catalog.resolve('crm.users.create')!.call(input, CONTEXT)).toEqual({ ok: true });
    await catalog.resolve('crm.customers.list')!.call(undefined, CONTEXT);
    await catalog.resolve('crm.customers.list')!.call({ tier: 'pro', limit: 100 }, CONTEXT);
    expect(recorded.calls.map((call) => call.input)).toEqual([
      validUser,
      undefined,
      { tier: 'pro', limit: 100 },
    ]);
    expect(recorded.calls[0]!.input).toBe(input);
    expect(input).toEqual(validUser); // nothing added, coerced or removed
  });

  it('checks nothing for a function without an input schema, or with validateInputs: false', async () => {
    const recorded = recordingGroup([{ name: 'anything' }, customersList]);
    await catalogWith(recorded)
      .resolve('crm.anything')!
      .call({ whatever: [1, 2] }, CONTEXT);
    const off = catalogWith(recorded, { validateInputs: false });
    await off.resolve('crm.customers.list')!.call({ tier: 'enterprise' }, CONTEXT);
    expect(off.resolve('crm.customers.list')!.validateInput).toBeUndefined();
    expect(recorded.calls).toHaveLength(2);
  });
});

describe('input validation: schema dialects', () => {
  it('follows $refs into the group definitions and the schema’s own $defs and definitions', async () => {
    const recorded = recordingGroup(
      [
        {
          name: 'orders.create',
          inputSchema: {
            type: 'object',
            properties: {
              customer: { $ref: '#/$defs/Customer' },
              lines: { type: 'array', items: { $ref: '#/definitions/Line' }, minItems: 1 },
              shipping: { $ref: '#/components/schemas/Address' },
            },
            required: ['customer', 'lines'],
            definitions: {
              Line: {
                type: 'object',
                properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
                required: ['sku', 'qty'],
              },
            },
          },
        },
      ],
      {
        definitions: {
          Customer: {
            type: 'object',
            properties: { id: { type: 'string' }, tier: { $ref: '#/$defs/Tier' } },
            required: ['id'],
          },
          Tier: { type: 'string', enum: ['free', 'pro'] },
          Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    );
    const order = catalogWith(recorded).resolve('crm.orders.create')!;
    await order.call(
      { customer: { id: 'c1', tier: 'pro' }, lines: [{ sku: 'x', qty: 2 }], shipping: { city: 'Oslo' } },
      CONTEXT,
    );
    const error = await rejection(
      order.call({ customer: { tier: 'gold' }, lines: [{ sku: 'x', qty: 0 }], shipping: {} }, CONTEXT),
    );
    expect(error.issues).toEqual([
      { path: 'input.customer.id', message: 'is required' },
      { path: 'input.customer.tier', message: 'must be one of "free", "pro"; got "gold"' },
      { path: 'input.lines[0].qty', message: 'must be >= 1; got 0' },
      { path: 'input.shipping.city', message: 'is required' },
    ]);
    expect(recorded.calls).toHaveLength(1);
  });

  it('reads OpenAPI 3.0 nullable, draft-07 tuples and draft-04 boolean exclusive bounds', async () => {
    const recorded = recordingGroup([
      {
        name: 'legacy',
        inputSchema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: {
            nickname: { type: 'string', nullable: true },
            level: { type: 'string', enum: ['a', 'b'], nullable: true },
            point: { type: 'array', items: [{ type: 'number' }, { type: 'number' }], additionalItems: false },
            ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
          },
        },
      },
    ]);
    const legacy = catalogWith(recorded).resolve('crm.legacy')!;
    await legacy.call({ nickname: null, level: null, point: [1, 2], ratio: 0.5 }, CONTEXT);
    const error = await rejection(legacy.call({ nickname: 5, point: [1, 'b', 3], ratio: 0 }, CONTEXT));
    expect(error.issues).toEqual([
      { path: 'input.nickname', message: 'must be a string or null; got 5' },
      { path: 'input.point[1]', message: 'must be a number; got "b"' },
      { path: 'input.point', message: 'must have at most 2 items; got an array of 3 items' },
      { path: 'input.ratio', message: 'must be > 0; got 0' },
    ]);
    expect(recorded.calls).toHaveLength(1);
  });

  it('accepts overlapping oneOf alternatives (checked as anyOf) and never requires a readOnly property', async () => {
    const recorded = recordingGroup([
      {
        name: 'pets.update',
        inputSchema: {
          type: 'object',
          properties: {
            pet: {
              oneOf: [
                { type: 'object', properties: { name: { type: 'string' } } },
                { type: 'object', properties: { tag: { type: 'string' } } },
              ],
            },
            record: {
              type: 'object',
              properties: { id: { type: 'integer', readOnly: true }, label: { type: 'string' } },
              required: ['id', 'label'],
            },
          },
        },
      },
    ]);
    const update = catalogWith(recorded).resolve('crm.pets.update')!;
    await update.call({ pet: { name: 'Rex', tag: 'dog' }, record: { label: 'x' } }, CONTEXT);
    expect((await rejection(update.call({ record: {} }, CONTEXT))).message).toBe(
      'crm.pets.update: input.record.label is required',
    );
    expect(recorded.calls).toHaveLength(1);
  });

  it('checks cyclic (dereferenced) schemas', async () => {
    const node: JSONSchema = { type: 'object', properties: { name: { type: 'string' } } };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    const recorded = recordingGroup([{ name: 'tree.save', inputSchema: node }]);
    const save = catalogWith(recorded).resolve('crm.tree.save')!;
    await save.call({ name: 'root', children: [{ name: 'leaf', children: [] }] }, CONTEXT);
    const error = await rejection(
      save.call({ name: 'root', children: [{ children: [{ name: 7 }] }] }, CONTEXT),
    );
    expect(error.message).toBe('crm.tree.save: input.children[0].children[0].name must be a string; got 7');
  });

  it('accepts anything where a $ref cannot be resolved (its type is unknown as well)', async () => {
    const recorded = recordingGroup([
      {
        name: 'external',
        inputSchema: {
          type: 'object',
          properties: { a: { $ref: 'https://example.com/schema.json' }, b: { $ref: '#/$defs/Missing' } },
          required: ['a'],
        },
      },
    ]);
    const external = catalogWith(recorded).resolve('crm.external')!;
    await external.call({ a: { any: 'thing' }, b: 3 }, CONTEXT);
    expect((await rejection(external.call({}, CONTEXT))).message).toBe('crm.external: input.a is required');
  });
});

describe('schemas that do not compile', () => {
  it('leave their function unchecked, never the whole group, with one warning naming it', async () => {
    const logger = recordingLogger();
    const recorded = recordingGroup([
      {
        name: 'broken',
        inputSchema: { type: 'object', properties: { code: { type: 'string', pattern: '([a-z' } } },
      },
      customersList,
    ]);
    const catalog = catalogWith(recorded, { logger });
    await catalog.resolve('crm.broken')!.call({ code: 'anything' }, CONTEXT);
    await catalog.resolve('crm.broken')!.call({ code: 5 }, CONTEXT);
    await expect(catalog.resolve('crm.customers.list')!.call({ tier: 'x' }, CONTEXT)).rejects.toThrow(
      ValidationError,
    );
    expect(recorded.calls).toHaveLength(2);
    expect(logger.warnings).toEqual([
      expect.stringMatching(/the input schema of crm\.broken does not compile/),
    ]);
    const report = catalog.compileValidators();
    expect(report).toMatchObject({
      functions: 2,
      inputs: { compiled: 1, failed: 1 },
      failures: [
        { path: 'crm.broken', side: 'input', reason: expect.stringMatching(/regular expression|pattern/i) },
      ],
    });
    expect(logger.warnings).toHaveLength(1);
  });
});

describe('output validation', () => {
  const typed = {
    name: 'users.get',
    outputSchema: {
      type: 'object',
      properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' } },
      required: ['id'],
    },
  };

  it('is off by default', async () => {
    const recorded = recordingGroup([typed], {}, { id: 'not-a-number' });
    expect(await catalogWith(recorded).resolve('crm.users.get')!.call({}, CONTEXT)).toEqual({
      id: 'not-a-number',
    });
  });

  it('warn: logs each distinct problem once and returns the result', async () => {
    const logger = recordingLogger();
    const recorded = recordingGroup([typed], {}, { id: '7', email: 'x' });
    const get = catalogWith(recorded, { logger, validateOutputs: 'warn' }).resolve('crm.users.get')!;
    expect(await get.call({}, CONTEXT)).toEqual({ id: '7', email: 'x' });
    await get.call({}, CONTEXT);
    expect(logger.warnings).toEqual([
      [
        'catalog: crm.users.get: 2 problems with the result:',
        '- output.id must be an integer; got "7"',
        '- output.email must be an email address; got "x"',
      ].join('\n'),
    ]);
  });

  it('enforce: a result that breaks the declared schema fails the call with INVALID_OUTPUT', async () => {
    const recorded = recordingGroup([typed], {}, { email: 'a@b.co' });
    const get = catalogWith(recorded, { validateOutputs: 'enforce' }).resolve('crm.users.get')!;
    await expect(get.call({}, CONTEXT)).rejects.toMatchObject({
      code: ErrorCode.INVALID_OUTPUT,
      message: expect.stringMatching(/^crm\.users\.get: output\.id is required\nThe API returned a result/),
    });
  });

  it('inferred output types are only ever warned about, even with enforce', async () => {
    const logger = recordingLogger();
    let result: unknown = { id: 1, name: 'A' };
    const group: APIGroup = {
      name: 'crm',
      type: 'custom',
      functions: [{ name: 'lookup', handler: () => result }],
    };
    const catalog = new Catalog({
      logger,
      validateOutputs: 'enforce',
      outputInference: { fieldNames: true },
    });
    catalog.addGroup(group);
    await catalog.resolve('crm.lookup')!.call({}, CONTEXT);
    await catalog.flushOutputInference();
    result = { id: 'one' };
    expect(await catalog.resolve('crm.lookup')!.call({}, CONTEXT)).toEqual({ id: 'one' });
    expect(logger.warnings.join('\n')).toContain('- output.id must be an integer; got "one"');
    expect(logger.warnings.join('\n')).toContain('(against its inferred type)');
  });
});

describe('definition names that need escaping', () => {
  it('resolves $refs to names with spaces, slashes, tildes and percent signs', async () => {
    const names = ['Plain Name', 'a/b', 'x~y', '50%off'];
    const definitions = Object.fromEntries(
      names.map((name) => [
        name,
        { type: 'object', properties: { v: { type: 'integer' } }, required: ['v'] },
      ]),
    );
    const properties = Object.fromEntries(
      names.map((name, index) => [
        `p${index}`,
        { $ref: `#/$defs/${encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'))}` },
      ]),
    );
    const recorded = recordingGroup([{ name: 'escaped', inputSchema: { type: 'object', properties } }], {
      definitions,
    });
    const escaped = catalogWith(recorded).resolve('crm.escaped')!;
    await escaped.call({ p0: { v: 1 }, p1: { v: 2 }, p2: { v: 3 }, p3: { v: 4 } }, CONTEXT);
    const error = await rejection(escaped.call({ p0: {}, p1: {}, p2: {}, p3: {} }, CONTEXT));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'input.p0.v',
      'input.p1.v',
      'input.p2.v',
      'input.p3.v',
    ]);
  });
});
