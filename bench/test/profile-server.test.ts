import { packageOf, summariseProfile } from '../src/profile-server/cpu-profile.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('server CPU profile summary', () => {
  it('names the package of a frame: workspace builds, scoped and plain npm packages, else none', () => {
    expect(packageOf('file:///repo/packages/engine/dist/index.js')).toBe('@agent-tool-protocol/engine');
    expect(packageOf('file:///repo/node_modules/.pnpm/express@5/node_modules/express/lib/response.js')).toBe(
      'express',
    );
    expect(packageOf('file:///r/node_modules/@opentelemetry/api/build/src/trace.js')).toBe(
      '@opentelemetry/api',
    );
    expect(packageOf('node:internal/streams/writable')).toBeUndefined();
  });

  it('charges each sample to the innermost ATP package on its stack, leaving out idle time and module loading', () => {
    const engine = 'file:///repo/packages/engine/dist/index.js';
    const protocol = 'file:///repo/packages/protocol/dist/index.js';
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 6, 7] },
        { id: 2, callFrame: frame('(idle)') },
        // engine → protocol → node's structuredClone: the protocol package owns it.
        { id: 3, callFrame: frame('persist', engine, 10), children: [4] },
        { id: 4, callFrame: frame('set', protocol, 462), children: [5] },
        { id: 5, callFrame: frame('structuredClone', 'node:internal/worker/js_transferable', 112) },
        // express with no ATP frame above it: express owns it.
        { id: 6, callFrame: frame('send', 'file:///r/node_modules/express/lib/response.js', 125) },
        // a lazy require: module loading, not per-request work.
        { id: 7, callFrame: frame('loadCJSModuleWithModuleLoad', 'node:internal/modules/esm/translators') },
      ],
      samples: [2, 5, 5, 4, 6, 7, 3],
      timeDeltas: [5000, 1000, 1000, 500, 1000, 2000, 500],
    };
    const summary = summariseProfile(profile);
    expect(summary.idleMs).toBe(5);
    expect(summary.startupMs).toBe(2);
    expect(summary.busyMs).toBe(4);
    expect(summary.owners).toEqual([
      { name: '@agent-tool-protocol/protocol', ms: 2.5, share: 0.625 },
      { name: 'express', ms: 1, share: 0.25 },
      { name: '@agent-tool-protocol/engine', ms: 0.5, share: 0.125 },
    ]);
    expect(summary.functions[0]).toEqual({
      name: '@agent-tool-protocol/protocol set:463',
      ms: 2.5,
      share: 0.625,
    });
    expect(summary.functions.map((row) => row.name)).toContain('express send:126');
  });
});
