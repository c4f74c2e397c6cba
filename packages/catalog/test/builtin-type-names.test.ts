import { Catalog } from '@agent-tool-protocol/catalog';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { typecheck } from '@agent-tool-protocol/testing';

const handler = async () => ({});

/** A group whose one definition, prefixed with the group's name, spells a built-in type. */
function groupWithDefinition(name: string, definition: string): APIGroup {
  return {
    name,
    type: 'openapi',
    definitions: { [definition]: { type: 'object', properties: { detail: { type: 'string' } } } },
    functions: [{ name: 'get', handler, outputSchema: { $ref: `#/$defs/${definition}` } }],
  };
}

describe('generated type names never take a built-in type name', () => {
  const clashes: Array<[string, string, string]> = [
    ['type', 'Error', 'TypeError'],
    ['range', 'Error', 'RangeError'],
    ['weak', 'Map', 'WeakMap'],
    ['promise', 'Like', 'PromiseLike'],
    ['array', 'Like', 'ArrayLike'],
    ['data', 'View', 'DataView'],
    ['readonly', 'Array', 'ReadonlyArray'],
  ];

  it('renames the clashing definitions and the declarations compile', () => {
    const catalog = new Catalog();
    for (const [group, definition] of clashes) catalog.addGroup(groupWithDefinition(group, definition));
    const { typescript } = catalog.getDefinitions();
    for (const [, , builtin] of clashes) {
      expect(typescript).not.toMatch(new RegExp(`^type ${builtin} =`, 'm'));
      expect(typescript).toMatch(new RegExp(`^type ${builtin}_2 =`, 'm'));
    }
    const usage = [
      'async function use(): Promise<void> {',
      '  const failure = await api.type.get();',
      '  const detail: string | undefined = failure.detail;',
      '  const real: TypeError = new TypeError(detail);',
      '  const map: WeakMap<object, number> = new WeakMap();',
      '  const like: PromiseLike<number> = Promise.resolve(1);',
      '  void [real, map, like];',
      '}',
    ].join('\n');
    expect(typecheck({ 'api.d.ts': typescript, 'usage.ts': usage })).toEqual([]);
  });

  it('leaves ordinary names alone', () => {
    const catalog = new Catalog();
    catalog.addGroup(groupWithDefinition('stripe', 'Error'));
    const { typescript } = catalog.getDefinitions();
    expect(typescript).toMatch(/^type StripeError = /m);
    expect(typecheck({ 'api.d.ts': typescript })).toEqual([]);
  });
});
