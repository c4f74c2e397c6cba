import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import ivm from 'isolated-vm';
import FACTORY_SOURCE from './factory.sandbox.js';
import { SANDBOX_SOURCE } from './sandbox-source.js';

/** What the factory hands over for one fresh isolate (see `factory.sandbox.js`). */
export type SandboxHandles = [
  isolate: ivm.Isolate,
  context: ivm.Context,
  setup: ivm.Reference<(configJson: string) => void>,
  step: ivm.Reference<(clock: number, batchJson: string) => void>,
  collect: ivm.Reference<() => string>,
];

/** The factory isolate's own heap: it holds only handles in transit. */
const FACTORY_MEMORY_MB = 32;

let shared: Promise<IsolateFactory> | undefined;

/**
 * Creates, warms and disposes sandbox isolates off the event loop: in a factory isolate whose tasks
 * run on isolated-vm's thread pool. There is one per process (`IsolateFactory.shared()`), created on
 * first use (the only isolate created on this thread) and never disposed: isolated-vm can crash the
 * process when an isolate that created others is disposed while one of those is still being torn down.
 * It runs only the runtime's own code and holds no execution's data, only handles in transit.
 */
export class IsolateFactory {
  private constructor(
    private readonly createRef: ivm.Reference,
    private readonly disposeRef: ivm.Reference,
  ) {}

  /** The process's factory (started on first use; a failed start is retried by the next call). */
  static shared(): Promise<IsolateFactory> {
    shared ??= IsolateFactory.start().catch((error: unknown) => {
      shared = undefined;
      throw error;
    });
    return shared;
  }

  private static async start(): Promise<IsolateFactory> {
    const isolate = new ivm.Isolate({ memoryLimit: FACTORY_MEMORY_MB });
    try {
      const context = await isolate.createContext();
      const script = await isolate.compileScript(FACTORY_SOURCE, { filename: 'atp-isolate-factory.js' });
      const factoryFn = (await script.run(context, { reference: true, release: true })) as ivm.Reference;
      const entries = (await factoryFn.apply(
        undefined,
        [ivm, SANDBOX_SOURCE, JSON.stringify(SANDBOX_GLOBALS)],
        { result: { reference: true } },
      )) as ivm.Reference<unknown[]>;
      factoryFn.release();
      const createRef = (await entries.get(0, { reference: true })) as ivm.Reference;
      const disposeRef = (await entries.get(1, { reference: true })) as ivm.Reference;
      entries.release();
      return new IsolateFactory(createRef, disposeRef);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * A fresh isolate with the bootstrap installed; its outboxes go to `channel`.
   *
   * With `onLost`, the isolate itself is created on this thread (about a millisecond), because only
   * an isolate created here can have isolated-vm's catastrophic-error handler: when V8 cannot recover
   * from an out-of-memory failure, isolated-vm then parks the isolate's thread and calls `onLost`
   * instead of aborting the process. (A handler in the factory isolate crashes isolated-vm.) Without
   * it everything happens off this thread, and such a failure aborts the process.
   */
  async create(
    memoryLimitMB: number,
    channel: ivm.Reference,
    onLost?: (message: string) => void,
  ): Promise<SandboxHandles> {
    const given =
      onLost === undefined
        ? undefined
        : new ivm.Isolate({ memoryLimit: memoryLimitMB, onCatastrophicError: (message) => onLost(message) });
    try {
      return (await this.createRef.apply(undefined, [memoryLimitMB, channel, given], {
        result: { promise: true, copy: true },
      })) as SandboxHandles;
    } catch (error) {
      if (given !== undefined && !given.isDisposed) given.dispose();
      throw error;
    }
  }

  /** Disposes an isolate in the factory's task (off this thread); the call returns at once. */
  dispose(isolate: ivm.Isolate): void {
    this.disposeRef.applyIgnored(undefined, [isolate]);
  }
}
