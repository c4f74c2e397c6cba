import { Catalog } from '@agent-tool-protocol/catalog';
import type { FunctionDef } from '@agent-tool-protocol/protocol';
import { typecheck } from '@agent-tool-protocol/testing';

const noop = () => undefined;
const fn = (name: string, description?: string): FunctionDef => ({
  name,
  handler: noop,
  ...(description ? { description } : {}),
});

describe('compact definitions', () => {
  const catalog = new Catalog();
  catalog.addGroup({
    name: 'shop-api',
    type: 'openapi',
    description: 'The shop. Orders, carts and more.\nSecond line.',
    metadata: { namespaces: { orders: 'Orders placed by customers */ sneaky.' } },
    functions: [
      fn('orders.create', 'Create an order'),
      fn('orders.get'),
      fn('carts.add'),
      fn('carts.remove'),
      fn('carts.list'),
      fn('carts.clear'),
      fn('carts.checkout'),
      fn('carts', 'The cart itself (callable namespace)'),
      fn('ping', 'Check the service answers. It returns pong.'),
      fn('get-status'),
    ],
  });
  catalog.addGroup({
    name: 'many',
    type: 'mcp',
    functions: Array.from({ length: 25 }, (_, index) => fn(`tool_${index}`, `Tool ${index}`)),
  });
  const { typescript, apiGroups } = catalog.getDefinitions({ detail: 'compact' });

  it('lists groups, namespaces and top-level functions with one-line descriptions', () => {
    expect(apiGroups).toEqual(['many', 'shop-api']);
    expect(typescript).toContain('// api.* index (35 functions), namespaces only.');
    expect(typescript).toContain('  shop_api: { // The shop. (10 functions)');
    expect(typescript).toContain('    orders: AtpApiNode; // Orders placed by customers *\\/ sneaky.');
    expect(typescript).toContain('    carts: AtpApiNode; // 5 functions: add, remove, list, clear, …');
    expect(typescript).toContain('    ping: AtpApiNode; // Check the service answers.');
    expect(typescript).toContain('    get_status: AtpApiNode;\n');
    expect(typescript).not.toContain('(callable namespace)');
    expect(typescript).toContain(
      '    [name: string]: AtpApiNode; // 25 more functions: find them with search or explore',
    );
    expect(typescript).not.toContain('tool_3');
  });

  it('is valid TypeScript that accepts calls at any depth', () => {
    const agent =
      'async function f() { await api.shop_api.orders.create({ id: 1 }); await api.many.tool_3(); await api.shop_api.carts(); }\nvoid f;';
    expect(typecheck({ 'api.d.ts': typescript, 'agent.ts': agent })).toEqual([]);
  });

  it('is cached per version and filter, and full stays the default', () => {
    expect(catalog.getDefinitions({ detail: 'compact' })).toBe(catalog.getDefinitions({ detail: 'compact' }));
    expect(catalog.getDefinitions().typescript).toContain(
      'create(input?: Record<string, unknown>): Promise<unknown>;',
    );
    expect(catalog.getDefinitions({ detail: 'compact', apiGroups: ['many'] }).typescript).not.toContain(
      'shop_api',
    );
  });

  it('for an empty catalog declares an empty api', () => {
    expect(new Catalog().getDefinitions({ detail: 'compact' }).typescript).toContain(
      'declare const api: {};',
    );
  });
});

describe("detail: 'auto'", () => {
  const group = (name: string, count: number) => ({
    name,
    type: 'custom' as const,
    functions: Array.from({ length: count }, (_, index) =>
      fn(`ns${index % 10}.f${index}`, `Function ${index}`),
    ),
  });

  it('is full for a small catalog or any filter, compact for a large one', () => {
    const small = new Catalog();
    small.addGroup(group('small', 20));
    expect(small.getDefinitions({ detail: 'auto' }).typescript).toBe(small.getDefinitions().typescript);

    const large = new Catalog();
    large.addGroup(group('large', 500));
    expect(large.getDefinitions({ detail: 'auto' }).typescript).toContain('AtpApiNode');
    expect(large.getDefinitions({ detail: 'auto', apiGroups: ['large'] }).typescript).not.toContain(
      'AtpApiNode',
    );
    expect(large.getDefinitions({ detail: 'auto', functions: ['large.ns1'] }).typescript).toContain('f491(');
  });

  it('rejects an unknown detail, naming the field', () => {
    expect(() => new Catalog().getDefinitions({ detail: 'verbose' as 'full' })).toThrow(
      /Invalid definitions options: detail: must be one of full, compact, auto \(got "verbose"\)/,
    );
  });
});
