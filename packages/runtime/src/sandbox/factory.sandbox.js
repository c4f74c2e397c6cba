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
 * @typedef {import('isolated-vm').Script} Script
 * @typedef {import('isolated-vm').Reference<any>} AnyReference
 * @typedef {[context: Context, setup: AnyReference, step: AnyReference, collect: AnyReference, detach: AnyReference]} ContextHandles
 * @typedef {[isolate: Isolate, ...ContextHandles]} SandboxHandles
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
   * The bootstrap compiled for `isolate`, from V8's code cache after the first compilation.
   * @param {Isolate} isolate
   * @returns {Promise<Script>}
   */
  async function compileBootstrap(isolate) {
    const script = await isolate.compileScript(
      bootstrapSource,
      bootstrapCode === undefined
        ? { filename: 'atp-bootstrap.js', produceCachedData: true }
        : { filename: 'atp-bootstrap.js', cachedData: bootstrapCode },
    );
    const compiled = /** @type {{ cachedData?: typeof bootstrapCode, cachedDataRejected?: boolean }} */ (
      /** @type {unknown} */ (script)
    );
    if (bootstrapCode === undefined || compiled.cachedDataRejected === true)
      bootstrapCode = compiled.cachedData;
    return script;
  }

  /**
   * A fresh isolate with the bootstrap installed in a first context.
   * @param {number} memoryLimitMB
   * @param {AnyReference} channel the host function this context's outboxes go to
   * @param {Isolate} [given] an isolate the host created itself, to install instead of a new one
   * @returns {Promise<SandboxHandles>}
   */
  async function create(memoryLimitMB, channel, given) {
    const isolate = given ?? new ivm.Isolate({ memoryLimit: memoryLimitMB });
    try {
      return [isolate, ...(await prepare(isolate, channel))];
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * A new context in `isolate` with the bootstrap installed: a fresh global object and fresh
   * built-ins, sharing nothing with the isolate's earlier contexts. The work runs on the isolate's
   * own thread (the context and the compilation at once); this factory only waits.
   * @param {Isolate} isolate
   * @param {AnyReference} channel the host function this context's outboxes go to
   * @returns {Promise<ContextHandles>}
   */
  async function prepare(isolate, channel) {
    const [context, script] = await Promise.all([isolate.createContext(), compileBootstrap(isolate)]);
    const bootstrap = /** @type {AnyReference} */ (
      await script.run(context, { reference: true, release: true })
    );
    const entries = /** @type {AnyReference} */ (
      await bootstrap.apply(undefined, [globalsJson, channel], { result: { reference: true } })
    );
    bootstrap.release();
    const [setup, step, runQueued, connect, collect, detach] = /** @type {AnyReference[]} */ (
      await Promise.all([0, 1, 2, 3, 4, 5].map((index) => entries.get(index, { reference: true })))
    );
    entries.release();
    await /** @type {AnyReference} */ (connect).apply(undefined, [runQueued]);
    /** @type {AnyReference} */ (connect).release();
    /** @type {AnyReference} */ (runQueued).release();
    return [
      context,
      /** @type {AnyReference} */ (setup),
      /** @type {AnyReference} */ (step),
      /** @type {AnyReference} */ (collect),
      /** @type {AnyReference} */ (detach),
    ];
  }

  /** @param {Isolate} isolate */
  function dispose(isolate) {
    if (!isolate.isDisposed) isolate.dispose();
  }

  return [create, prepare, dispose];
}

// The completion value of this script: the host runs it and calls the function it evaluates to.
atpIsolateFactory;
