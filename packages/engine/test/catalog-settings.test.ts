import { createEngine } from '@agent-tool-protocol/engine';
import type { APIGroup } from '@agent-tool-protocol/protocol';

// The engine's `catalog` section reaches the catalog: output checks and the pagination item cap.

const SECRET = 'engine-test-secret-0123456789';

function shop(): APIGroup {
  return {
    name: 'shop',
    type: 'custom',
    functions: [
      {
        name: 'price',
        description: 'The price of an item',
        inputSchema: { type: 'object', properties: {} },
        outputSchema: { type: 'object', properties: { cents: { type: 'integer' } }, required: ['cents'] },
        handler: () => ({ cents: 'twelve' }),
      },
      {
        name: 'items',
        description: 'Items, a page at a time',
        inputSchema: { type: 'object', properties: { page: { type: 'integer' } } },
        metadata: { operationType: 'read', pagination: { style: 'page', pageInput: 'page' } },
        handler: (input: { page?: number }) => {
          const page = input.page ?? 1;
          return page > 5 ? [] : Array.from({ length: 4 }, (_, i) => (page - 1) * 4 + i);
        },
      },
    ],
  };
}

async function run(engine: ReturnType<typeof createEngine>, code: string) {
  const { clientId } = await engine.init({});
  return engine.execute(clientId, { code });
}

describe('catalog settings of the engine', () => {
  test('defaults: outputs unchecked, listings capped at 1,000 items', async () => {
    const engine = createEngine({
      auth: { jwtSecret: SECRET },
      execution: { isolatePoolSize: 0 },
      apiGroups: [shop()],
    });
    try {
      expect(engine.config.catalog).toEqual({
        validateOutputs: 'off',
        pagination: { defaultMaxItems: 1000 },
      });
      expect(await run(engine, 'return await api.shop.price({});')).toMatchObject({
        status: 'completed',
        result: { cents: 'twelve' },
      });
      expect(await run(engine, 'return (await api.shop.items.all({})).length;')).toMatchObject({
        result: 20,
      });
    } finally {
      await engine.shutdown(100);
    }
  });

  test("validateOutputs 'enforce' fails a call whose result breaks its declared schema; defaultMaxItems caps listings", async () => {
    const engine = createEngine({
      auth: { jwtSecret: SECRET },
      execution: { isolatePoolSize: 0 },
      catalog: { validateOutputs: 'enforce', pagination: { defaultMaxItems: 6 } },
      apiGroups: [shop()],
    });
    try {
      const price = await run(
        engine,
        'try { await api.shop.price({}); return "unchecked"; } catch (e) { return { code: e.code, message: e.message }; }',
      );
      expect(price).toMatchObject({
        status: 'completed',
        result: {
          code: 'INVALID_OUTPUT',
          message: expect.stringContaining('output.cents must be an integer'),
        },
      });
      const listed = await run(engine, 'return await api.shop.items.all({});');
      expect(listed).toMatchObject({ status: 'completed', result: [0, 1, 2, 3, 4, 5] });
      expect(listed.logs?.map((entry) => entry.message).join('\n')).toContain('stopped at 6 items');
    } finally {
      await engine.shutdown(100);
    }
  });

  test('bad values are refused, naming the field', () => {
    expect(() => createEngine({ catalog: { validateOutputs: 'strict' as 'warn' } })).toThrow(
      /catalog\.validateOutputs/,
    );
    expect(() => createEngine({ catalog: { pagination: { defaultMaxItems: 0 } } })).toThrow(
      /catalog\.pagination\.defaultMaxItems/,
    );
  });
});
