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
 * @typedef {[context: Context, entry: AnyReference]} ContextHandles
 * @typedef {[isolate: Isolate, bootstrap: Script, ...ContextHandles]} SandboxHandles
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
   * The bootstrap compiled for `isolate` (once per isolate: each of its contexts runs the same
   * script), from V8's code cache after the first compilation.
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
   * A fresh isolate with the bootstrap compiled and installed in a first context.
   * @param {number} memoryLimitMB
   * @param {AnyReference} channel the host function this context's outboxes go to
   * @param {Isolate} [given] an isolate the host created itself, to install instead of a new one
   * @returns {Promise<SandboxHandles>}
   */
  async function create(memoryLimitMB, channel, given) {
    const isolate = given ?? new ivm.Isolate({ memoryLimit: memoryLimitMB });
    try {
      const bootstrap = await compileBootstrap(isolate);
      return [isolate, bootstrap, ...(await prepare(isolate, bootstrap, channel))];
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * A new context in `isolate` with the bootstrap installed: a fresh global object and fresh
   * built-ins, sharing nothing with the isolate's earlier contexts. `previous`, the entry of the
   * isolate's last context, is detached first: the isolate runs its tasks in order, so nothing of
   * that context runs after the new one exists. The work runs on the isolate's own thread, in three
   * tasks (the fewer round trips, the less thread switching); this factory only waits.
   * @param {Isolate} isolate
   * @param {Script} bootstrap the bootstrap compiled for `isolate`
   * @param {AnyReference} channel the host function this context's outboxes go to
   * @param {AnyReference} [previous] the entry of the isolate's previous context
   * @returns {Promise<ContextHandles>}
   */
  async function prepare(isolate, bootstrap, channel, previous) {
    // `previous` is released once used: an unreleased handle would keep the old context alive.
    const detached =
      previous === undefined
        ? undefined
        : previous.apply(undefined, ['detach']).finally(() => previous.release());
    const [, context] = await Promise.all([detached, isolate.createContext()]);
    const entry = /** @type {AnyReference} */ (await bootstrap.run(context, { reference: true }));
    await entry.apply(undefined, ['init', globalsJson, channel, entry]);
    return [context, entry];
  }

  /** @param {Isolate} isolate */
  function dispose(isolate) {
    if (!isolate.isDisposed) isolate.dispose();
  }

  return [create, prepare, dispose];
}

// The completion value of this script: the host runs it and calls the function it evaluates to.
atpIsolateFactory;
