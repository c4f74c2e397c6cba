import { jsonSchemaToTypeScript } from '@agent-tool-protocol/catalog';
import type { JSONSchema } from '@agent-tool-protocol/protocol';

const oneLine = (schema: JSONSchema | boolean | undefined) =>
  jsonSchemaToTypeScript(schema, { singleLine: true });

describe('jsonSchemaToTypeScript', () => {
  it.each<[string, JSONSchema | boolean | undefined, string]>([
    ['absent schema', undefined, 'unknown'],
    ['true', true, 'unknown'],
    ['false', false, 'never'],
    ['empty schema', {}, 'unknown'],
    ['string', { type: 'string' }, 'string'],
    ['integer', { type: 'integer' }, 'number'],
    ['number', { type: 'number' }, 'number'],
    ['boolean', { type: 'boolean' }, 'boolean'],
    ['null', { type: 'null' }, 'null'],
    ['string enum', { type: 'string', enum: ['a', 'b'] }, '"a" | "b"'],
    ['mixed enum', { enum: ['a', 1, false, null] }, '"a" | 1 | false | null'],
    ['const', { const: 'x' }, '"x"'],
    ['quotes in const', { const: 'say "hi"' }, '"say \\"hi\\""'],
    ['nullable (OpenAPI 3.0)', { type: 'string', nullable: true }, 'string | null'],
    ['type array (3.1)', { type: ['string', 'null'] }, 'string | null'],
    ['type array of three', { type: ['string', 'number', 'null'] }, 'string | number | null'],
    ['array', { type: 'array', items: { type: 'string' } }, 'string[]'],
    ['array without items', { type: 'array' }, 'unknown[]'],
    ['array of unions', { type: 'array', items: { type: ['string', 'number'] } }, '(string | number)[]'],
    ['nested arrays', { type: 'array', items: { type: 'array', items: { type: 'integer' } } }, 'number[][]'],
    [
      'tuple via prefixItems',
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] },
      '[string, number]',
    ],
    [
      'tuple with rest',
      { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'boolean' } },
      '[string, ...boolean[]]',
    ],
    [
      'tuple with optional tail',
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 1 },
      '[string, number?]',
    ],
    ['draft-07 tuple', { type: 'array', items: [{ type: 'string' }, { type: 'null' }] }, '[string, null]'],
    ['oneOf', { oneOf: [{ type: 'string' }, { type: 'number' }] }, 'string | number'],
    ['anyOf with null', { anyOf: [{ type: 'string' }, { type: 'null' }] }, 'string | null'],
    [
      'allOf',
      {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } } },
          { type: 'object', properties: { b: { type: 'number' } } },
        ],
      },
      '{ a?: string } & { b?: number }',
    ],
    [
      'allOf of unions',
      { allOf: [{ oneOf: [{ const: 1 }, { const: 2 }] }, { oneOf: [{ const: 2 }, { const: 3 }] }] },
      '(1 | 2) & (2 | 3)',
    ],
    [
      'object properties with required',
      { type: 'object', properties: { id: { type: 'string' }, age: { type: 'integer' } }, required: ['id'] },
      '{ id: string; age?: number }',
    ],
    ['object without properties', { type: 'object' }, '{ [key: string]: unknown }'],
    [
      'additionalProperties schema',
      { type: 'object', additionalProperties: { type: 'number' } },
      '{ [key: string]: number }',
    ],
    ['additionalProperties false', { type: 'object', additionalProperties: false }, 'Record<string, never>'],
    [
      'properties plus additionalProperties',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } },
      '{ a?: string; [key: string]: unknown }',
    ],
    [
      'patternProperties',
      { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
      '{ [key: string]: unknown }',
    ],
    [
      'non-identifier property names are quoted',
      {
        type: 'object',
        properties: {
          'content-type': { type: 'string' },
          '2x': { type: 'string' },
          class: { type: 'string' },
        },
      },
      '{ "content-type"?: string; "2x"?: string; class?: string }',
    ],
    ['object implied by properties', { properties: { a: { type: 'boolean' } } }, '{ a?: boolean }'],
    ['array implied by items', { items: { type: 'string' } }, 'string[]'],
    [
      'nullable object',
      { type: 'object', properties: { a: { type: 'string' } }, nullable: true },
      '{ a?: string } | null',
    ],
    [
      'object with oneOf',
      {
        type: 'object',
        properties: { kind: { type: 'string' } },
        oneOf: [
          { properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'number' } }, required: ['b'] },
        ],
      },
      '{ kind?: string } & ({ a: string } | { b: number })',
    ],
    [
      'local $defs ref (inlined)',
      { $defs: { Id: { type: 'string' } }, type: 'object', properties: { id: { $ref: '#/$defs/Id' } } },
      '{ id?: string }',
    ],
    [
      'definitions ref (inlined)',
      { definitions: { N: { type: 'number' } }, type: 'array', items: { $ref: '#/definitions/N' } },
      'number[]',
    ],
    ['unresolvable ref', { $ref: 'https://example.com/schema.json' }, 'unknown'],
    [
      'circular local ref stops at unknown',
      {
        $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } },
        $ref: '#/$defs/Node',
      },
      '{ next?: unknown }',
    ],
  ])('%s', (_name, schema, expected) => {
    expect(oneLine(schema)).toBe(expected);
  });

  it('writes nested objects on indented lines with JSDoc descriptions and format hints', () => {
    const schema: JSONSchema = {
      type: 'object',
      properties: {
        user: {
          type: 'object',
          description: 'Who */ did it',
          properties: {
            email: { type: 'string', format: 'email', description: 'Primary address' },
            since: { type: 'string', format: 'date-time', default: '2024-01-01T00:00:00Z', deprecated: true },
          },
          required: ['email'],
        },
      },
    };
    expect(jsonSchemaToTypeScript(schema)).toBe(
      [
        '{',
        '  /** Who *\\/ did it */',
        '  user?: {',
        '    /**',
        '     * Primary address',
        '     * @format email',
        '     */',
        '    email: string;',
        '    /**',
        '     * @format date-time',
        '     * @default "2024-01-01T00:00:00Z"',
        '     * @deprecated',
        '     */',
        '    since?: string;',
        '  };',
        '}',
      ].join('\n'),
    );
  });

  it('names refs through resolveRef', () => {
    const schema: JSONSchema = { type: 'array', items: { $ref: '#/components/schemas/Pet' } };
    const resolveRef = (ref: string) => (ref === '#/components/schemas/Pet' ? 'Pet' : undefined);
    expect(jsonSchemaToTypeScript(schema, { resolveRef })).toBe('Pet[]');
  });

  it('is deterministic and survives cyclic object graphs', () => {
    const node: Record<string, unknown> = { type: 'object', properties: {} };
    (node.properties as Record<string, unknown>).self = node;
    expect(oneLine(node)).toBe('{ self?: unknown }');
    expect(oneLine(node)).toBe(oneLine(node));
  });

  it('gives up with unknown past maxDepth', () => {
    let schema: JSONSchema = { type: 'string' };
    for (let level = 0; level < 10; level++) schema = { type: 'array', items: schema };
    expect(jsonSchemaToTypeScript(schema, { maxDepth: 3 })).toBe('unknown[][][][]');
  });
});
