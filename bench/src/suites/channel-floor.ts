import ivm from 'isolated-vm';

/**
 * The floor of a sequential host call in the runtime's mechanism, measured with bare isolated-vm: an
 * isolate calls a host function that answers at once (an async function, like the runtime's channel)
 * through `applySyncPromise`, `calls` times in a row. `bare` makes every call in one task; `perTask`
 * makes each call in a task the isolate queues on itself, as the runtime's bootstrap does for each
 * flush (so that the agent's microtasks run between two calls). Returns the duration of each round
 * in ms.
 */
export async function channelFloor(
  calls: number,
  rounds: number,
): Promise<{ bare: number[]; perTask: number[] }> {
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  try {
    const context = await isolate.createContext();
    const host = new ivm.Reference(async (_outbox: string) => '');
    await context.global.set('host', host);
    const loop = (await context.eval(
      `(function (n) {
        for (let i = 0; i < n; i++) host.applySyncPromise(undefined, ['[["call",1,"api",{"path":"g0.f1","input":{"i":1}}]]']);
      })`,
      { reference: true },
    )) as ivm.Reference;
    await context.eval(`
      let self; let left = 0; let done;
      globalThis.connect = (reference) => { self = reference; };
      globalThis.job = () => {
        host.applySyncPromise(undefined, ['[["call",1,"api",{"path":"g0.f1","input":{"i":1}}]]']);
        return --left > 0;
      };
      const next = () => self.apply(undefined, []).then((again) => (again ? next() : done()));
      globalThis.run = (n) => new Promise((resolve) => { left = n; done = resolve; next(); });
    `);
    const job = (await context.global.get('job', { reference: true })) as ivm.Reference;
    await ((await context.global.get('connect', { reference: true })) as ivm.Reference).apply(undefined, [
      job,
    ]);
    const run = (await context.global.get('run', { reference: true })) as ivm.Reference;
    const bare: number[] = [];
    const perTask: number[] = [];
    // Interleaved, so load from other processes affects both alike; the first round warms up.
    for (let round = 0; round <= rounds; round++) {
      let started = performance.now();
      await loop.apply(undefined, [calls]);
      if (round > 0) bare.push(performance.now() - started);
      started = performance.now();
      await run.apply(undefined, [calls], { result: { promise: true } });
      if (round > 0) perTask.push(performance.now() - started);
    }
    return { bare, perTask };
  } finally {
    isolate.dispose();
  }
}
