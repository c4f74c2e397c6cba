import { synthesizeFromSchema } from '@agent-tool-protocol/provenance';

describe('synthesizeFromSchema', () => {
  it('builds the smallest value with required fields, honouring default/const/enum/formats/minimums', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'string' },
        status: { type: 'string', enum: ['queued', 'done'] },
        at: { type: 'string', format: 'date-time' },
        count: { type: 'integer', minimum: 3 },
        ok: { const: true },
        tags: { type: 'array', items: { type: 'string' } },
        owner: { $ref: '#/$defs/User' },
        retries: { type: 'integer', default: 5 },
        optional: { type: 'string' },
        either: { anyOf: [{ type: 'null' }, { type: 'number' }] },
      },
      required: ['id', 'status', 'at', 'count', 'ok', 'tags', 'owner', 'retries', 'either'],
    };
    const definitions = {
      User: { type: 'object', properties: { login: { type: 'string', minLength: 2 } }, required: ['login'] },
    };
    expect(synthesizeFromSchema(schema, definitions, { id: 'T-9', count: 'not a number' })).toEqual({
      id: 'T-9',
      status: 'queued',
      at: '1970-01-01T00:00:00.000Z',
      count: 3,
      ok: true,
      tags: [],
      owner: { login: 'xx' },
      retries: 5,
      either: 0,
    });
    expect(synthesizeFromSchema(undefined)).toEqual({});
    expect(synthesizeFromSchema({ type: 'array', minItems: 2, items: { type: 'boolean' } })).toEqual([
      false,
      false,
    ]);
    // A self-referencing schema stops at the depth limit instead of recursing forever.
    const tree = {
      $defs: {
        Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } }, required: ['child'] },
      },
      $ref: '#/$defs/Node',
    };
    expect(JSON.stringify(synthesizeFromSchema(tree))).toContain('"child":null');
  });
});
