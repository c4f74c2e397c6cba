// @ts-check
/**
 * Runs inside the executor's factory isolate (embedded as text): trusted code that holds the
 * isolated-vm module and creates, warms and disposes the isolates executions run in. isolated-vm runs
 * this isolate's tasks on its own thread pool, so the ~1 ms `new Isolate`, the context, the bootstrap
 * and its warm-up, and disposal never run on the thread that serves requests and dispatches host calls.
 * The handles it returns are transferred to the host, which drives each execution directly.
 */
/**
 * @typedef {typeof import('isolated-vm')} Ivm
 * @typedef {import('isolated-vm').Isolate} Isolate
 * @typedef {import('isolated-vm').Context} Context
 * @typedef {import('isolated-vm').Reference<any>} AnyReference
 * @typedef {[isolate: Isolate, context: Context, setup: AnyReference, step: AnyReference, collect: AnyReference]} SandboxHandles
 */

/**
 * @param {Ivm} ivm the isolated-vm module
 * @param {string} bootstrapSource the runtime's bootstrap script
 * @param {string} globalsJson the seam's global names, for the bootstrap
 */
// biome-ignore lint/correctness/noUnusedVariables: used as the script's completion value (last line)
function atpIsolateFactory(ivm, bootstrapSource, globalsJson) {
  'use strict';
  /** @type {import('isolated-vm').ExternalCopy<ArrayBuffer> | undefined} V8's code cache of the bootstrap */
  let bootstrapCode;

  /**
   * A fresh isolate with the bootstrap installed (compiled from V8's code cache after the first).
   * @param {number} memoryLimitMB
   * @param {AnyReference} channel the host function this isolate's outboxes go to
   * @param {Isolate} [given] an isolate the host created itself, to install instead of a new one
   * @returns {Promise<SandboxHandles>}
   */
  async function create(memoryLimitMB, channel, given) {
    const isolate = given ?? new ivm.Isolate({ memoryLimit: memoryLimitMB });
    try {
      // The context and the bootstrap's compilation are independent: both at once. The first isolate
      // compiles the bootstrap and leaves V8's code cache for the others.
      const [context, script] = await Promise.all([
        isolate.createContext(),
        isolate.compileScript(
          bootstrapSource,
          bootstrapCode === undefined
            ? { filename: 'atp-bootstrap.js', produceCachedData: true }
            : { filename: 'atp-bootstrap.js', cachedData: bootstrapCode },
        ),
      ]);
      const compiled = /** @type {{ cachedData?: typeof bootstrapCode, cachedDataRejected?: boolean }} */ (
        /** @type {unknown} */ (script)
      );
      if (bootstrapCode === undefined || compiled.cachedDataRejected === true)
        bootstrapCode = compiled.cachedData;
      const bootstrap = /** @type {AnyReference} */ (
        await script.run(context, { reference: true, release: true })
      );
      const entries = /** @type {AnyReference} */ (
        await bootstrap.apply(undefined, [globalsJson, channel], { result: { reference: true } })
      );
      bootstrap.release();
      const [setup, step, runQueued, connect, collect] = /** @type {AnyReference[]} */ (
        await Promise.all([0, 1, 2, 3, 4].map((index) => entries.get(index, { reference: true })))
      );
      entries.release();
      await /** @type {AnyReference} */ (connect).apply(undefined, [runQueued]);
      /** @type {AnyReference} */ (connect).release();
      return [
        isolate,
        context,
        /** @type {AnyReference} */ (setup),
        /** @type {AnyReference} */ (step),
        /** @type {AnyReference} */ (collect),
      ];
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /** @param {Isolate} isolate */
  function dispose(isolate) {
    if (!isolate.isDisposed) isolate.dispose();
  }

  return [create, dispose];
}

// The completion value of this script: the host runs it and calls the function it evaluates to.
atpIsolateFactory;
