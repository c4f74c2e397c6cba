import { createEngine } from '@agent-tool-protocol/server';
import { memberAt, parseDeclarations } from '../src/browser/declarations';
import { apiPathOf } from '../src/browser/explorer-paths';
import { deskGroup } from './support/server';

describe('parseDeclarations (completion data from the server’s generated declarations)', () => {
  const engine = createEngine({
    auth: { jwtSecret: 'declarations-test-secret' },
    logger: { level: 'silent' },
  });
  engine.addAPIGroup(deskGroup().group);
  afterAll(() => engine.shutdown(0));

  it('reads api.* namespaces and functions with their signatures and docs', () => {
    const roots = parseDeclarations(engine.definitions({ detail: 'full' }).typescript);
    const desk = memberAt(roots, ['api', 'desk']);
    expect(desk?.kind).toBe('namespace');
    expect([...(desk?.children.keys() ?? [])].sort()).toEqual(['orders', 'tickets']);
    const refund = memberAt(roots, ['api', 'desk', 'orders', 'refund']);
    expect(refund).toMatchObject({
      kind: 'function',
      signature: 'refund(input: DeskOrdersRefundInput): Promise<unknown>',
      doc: 'Refund an order to the customer',
    });
    expect(memberAt(roots, ['api', 'desk', 'tickets', 'search'])?.signature).toContain('search(input?:');
  });

  it('reads the atp.* runtime declarations, generic methods included', async () => {
    const { clientId } = await engine.init({ services: { hasLLM: true, hasApproval: true } });
    const roots = parseDeclarations(await engine.runtimeDefinitions(clientId));
    expect([...(roots.get('atp')?.children.keys() ?? [])]).toEqual(
      expect.arrayContaining(['log', 'progress', 'cache', 'llm', 'approval']),
    );
    expect(memberAt(roots, ['atp', 'llm', 'extract'])?.signature).toMatch(
      /^extract<T = unknown>\(prompt: string/,
    );
    expect(memberAt(roots, ['atp', 'approval', 'request'])?.kind).toBe('function');
    expect(memberAt(roots, ['atp', 'cache', 'get'])?.doc).toContain('undefined when the key is absent');
  });

  it('reads the compact index too (namespaces with their comments)', () => {
    const roots = parseDeclarations(engine.definitions({ detail: 'compact' }).typescript);
    expect(memberAt(roots, ['api', 'desk', 'orders'])).toMatchObject({ kind: 'property' });
    expect(memberAt(roots, ['api', 'desk'])?.doc).toBe('Support desk (2 functions)');
  });

  it('ignores text outside declare const blocks and unknown paths', () => {
    const roots = parseDeclarations('type A = { x: string };\ninterface B {\n  y(): void;\n}\n');
    expect(roots.size).toBe(0);
    expect(memberAt(roots, ['api', 'nope'])).toBeUndefined();
  });
});

describe('apiPathOf', () => {
  it('turns an explore path into the api.* path agents write', () => {
    expect(apiPathOf('/custom/desk/orders/refund')).toBe('api.desk.orders.refund');
    expect(apiPathOf('/openapi/github/')).toBe('api.github');
  });
});
