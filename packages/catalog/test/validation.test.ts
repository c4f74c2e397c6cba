import { Catalog } from '@agent-tool-protocol/catalog';
import type { APIGroup, FunctionDef } from '@agent-tool-protocol/protocol';
import { ValidationError } from '@agent-tool-protocol/protocol';

const handler = async () => null;
const fn = (name: string, extra: Partial<FunctionDef> = {}): FunctionDef => ({ name, handler, ...extra });
const group = (functions: FunctionDef[], extra: Partial<APIGroup> = {}): APIGroup => ({
  name: 'github',
  type: 'openapi',
  functions,
  ...extra,
});

function validationError(action: () => void): ValidationError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('addGroup validation', () => {
  it('rejects a duplicate group name', () => {
    const catalog = new Catalog();
    catalog.addGroup(group([fn('a')]));
    const error = validationError(() => catalog.addGroup(group([fn('b')])));
    expect(error.message).toBe('Invalid API group "github": name: a group with this name already exists');
    expect(error.issues).toEqual([{ path: 'name', message: 'a group with this name already exists' }]);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.httpStatus).toBe(400);
  });

  it('rejects a duplicate function name within a group', () => {
    const error = validationError(() =>
      new Catalog().addGroup(group([fn('issues.create'), fn('x'), fn('issues.create')])),
    );
    expect(error.message).toBe(
      'Invalid API group "github": functions["issues.create"].name: duplicate function name "issues.create" (also at functions[0])',
    );
  });

  it.each([
    [
      'an unknown type',
      { type: 'object', properties: { title: { type: 'strnig' } } },
      'functions["issues.create"].inputSchema.properties.title.type',
      'unknown type "strnig"',
    ],
    [
      'a non-object schema',
      { type: 'object', properties: { title: 'string' } },
      'functions["issues.create"].inputSchema.properties.title',
      'must be a JSON Schema object or boolean, got "string"',
    ],
    [
      'required that is not an array',
      { type: 'object', required: 'title' },
      'functions["issues.create"].inputSchema.required',
      'must be an array of property names',
    ],
    [
      'required with non-strings',
      { type: 'object', required: ['a', 1] },
      'functions["issues.create"].inputSchema.required',
      'must be an array of property names',
    ],
    [
      'properties that are not an object',
      { type: 'object', properties: ['title'] },
      'functions["issues.create"].inputSchema.properties',
      'must be an object of schemas, got an array',
    ],
    [
      'items that are not schemas',
      { type: 'array', items: 5 },
      'functions["issues.create"].inputSchema.items',
      'must be a JSON Schema object or boolean, got a number',
    ],
    [
      'an empty oneOf',
      { oneOf: [] },
      'functions["issues.create"].inputSchema.oneOf',
      'must be a non-empty array of schemas',
    ],
    [
      'a type array with a typo',
      { type: ['string', 'nul'] },
      'functions["issues.create"].inputSchema.type',
      'unknown type "nul"',
    ],
    [
      'a non-string $ref',
      { $ref: 5 },
      'functions["issues.create"].inputSchema.$ref',
      'must be a string, got a number',
    ],
  ])(
    'rejects %s in an input schema, naming group, function and field',
    (_case, inputSchema, path, message) => {
      const error = validationError(() =>
        new Catalog().addGroup(group([fn('issues.create', { inputSchema })])),
      );
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]!.path).toBe(path);
      expect(error.issues[0]!.message).toContain(message);
      expect(error.message).toContain('Invalid API group "github": ');
      expect(error.message).toContain(`${path}: ${message}`);
    },
  );

  it('checks output schemas and group definitions too', () => {
    const error = validationError(() =>
      new Catalog().addGroup(
        group([fn('a', { outputSchema: { type: 'obj' } })], {
          definitions: { User: { type: 'object', required: [1] } },
        }),
      ),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'functions["a"].outputSchema.type',
      'definitions.User.required',
    ]);
  });

  it('rejects a missing handler and a non-object schema through the group schema', () => {
    const bad = { name: 'github', type: 'openapi', functions: [{ name: 'x', inputSchema: 'nope' }] };
    const error = validationError(() => new Catalog().addGroup(bad as unknown as APIGroup));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'functions["x"].handler',
      'functions["x"].inputSchema',
    ]);
    expect(error.message).toContain('functions["x"].handler: must be a function');
  });

  it('rejects an unknown group type and an empty name', () => {
    const error = validationError(() =>
      new Catalog().addGroup({ name: '', type: 'soap', functions: [] } as unknown as APIGroup),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['name', 'type']);
  });

  it('rejects empty segments in dotted names', () => {
    const error = validationError(() => new Catalog().addGroup(group([fn('issues..create'), fn('.x')])));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'functions["issues..create"].name',
      'functions[".x"].name',
    ]);
  });

  it('accepts cyclic (dereferenced) schemas and leaves the catalog unchanged on failure', () => {
    const node: Record<string, unknown> = { type: 'object', properties: {} };
    (node.properties as Record<string, unknown>).child = node;
    const catalog = new Catalog();
    catalog.addGroup(group([fn('tree', { inputSchema: node })]));
    expect(catalog.getDefinitions().typescript).toContain('child?: unknown;');
    const version = catalog.version;
    expect(() =>
      catalog.addGroup(group([fn('x', { inputSchema: { type: 'strnig' } })], { name: 'other' })),
    ).toThrow(ValidationError);
    expect(catalog.version).toBe(version);
    expect(catalog.listGroups().map((item) => item.name)).toEqual(['github']);
  });
});
