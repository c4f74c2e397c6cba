import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import ivm from 'isolated-vm';
import { AGENT_FILENAME, compileSource } from '../src/sandbox/agent-code.js';
import { SANDBOX_SOURCE } from '../src/sandbox/sandbox-source.js';

// The context's entry (`atpEntry` in the bootstrap), driven directly the way the factory and the
// host drive it: the configuration is handed over without waiting for its answer, so the bootstrap
// itself must refuse to start agent code that was not set up.

describe('the sandbox entry', () => {
  let isolate: ivm.Isolate;
  let context: ivm.Context;
  let entry: ivm.Reference;
  const outboxes: string[] = [];

  beforeEach(async () => {
    isolate = new ivm.Isolate({ memoryLimit: 32 });
    context = await isolate.createContext();
    const script = await isolate.compileScript(SANDBOX_SOURCE);
    entry = (await script.run(context, { reference: true })) as ivm.Reference;
    const channel = new ivm.Reference((outbox: string) => {
      outboxes.push(outbox);
      return '';
    });
    await entry.apply(undefined, ['init', JSON.stringify(SANDBOX_GLOBALS), channel, entry]);
  });

  afterEach(() => {
    outboxes.length = 0;
    isolate.dispose();
  });

  const startAgent = (body: string) => {
    const { source, lineOffset } = compileSource(body);
    return context.eval(source, { filename: AGENT_FILENAME, lineOffset });
  };
  const setup = () =>
    entry.apply(undefined, [
      'setup',
      JSON.stringify({ seed: [1, 2, 3, 4], maxResultBytes: 1000, maxMemoryBytes: 1 << 24, clock: 0 }),
    ]);

  it('runs agent code once set up, and says its script compiled', async () => {
    expect(await entry.apply(undefined, ['compiled'])).toBe(false);
    await setup();
    await startAgent('return 40 + 2;');
    expect(await entry.apply(undefined, ['compiled'])).toBe(true);
    expect(JSON.parse((await entry.apply(undefined, ['collect'])) as string)).toEqual([['done', 1, 42]]);
  });

  it('says a script V8 refused did not compile', async () => {
    await setup();
    await expect(startAgent('const a = 1;\nconst a = 2;')).rejects.toThrow('already been declared');
    expect(await entry.apply(undefined, ['compiled'])).toBe(false);
  });

  it('refuses to start agent code that was not set up (a protocol violation for the host)', async () => {
    await startAgent('globalThis.ran = true; return 1;');
    expect(await entry.apply(undefined, ['collect'])).toBe('[["not set up"]]');
    expect(await context.eval('globalThis.ran')).toBeUndefined();
  });

  it('rejects a second init and unknown operations', async () => {
    await expect(entry.apply(undefined, ['init', '{}', undefined, undefined])).rejects.toThrow(
      'Unknown sandbox operation init',
    );
    await expect(entry.apply(undefined, ['nope'])).rejects.toThrow('Unknown sandbox operation nope');
  });
});
