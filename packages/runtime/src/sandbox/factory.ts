import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import ivm from 'isolated-vm';
import FACTORY_SOURCE from './factory.sandbox.js';
import { SANDBOX_SOURCE } from './sandbox-source.js';

/**
 * The entry of a context (`atpEntry` in `bootstrap.sandbox.js`): the host calls it with an operation
 * name and that operation's arguments.
 */
export type SandboxEntry = ivm.Reference<(op: string, ...args: unknown[]) => unknown>;

/** What the factory hands over for a fresh context with the bootstrap installed (`factory.sandbox.js`). */
export type ContextHandles = [context: ivm.Context, entry: SandboxEntry];

/** A fresh isolate, the bootstrap compiled for it, and its first context. */
export type SandboxHandles = [isolate: ivm.Isolate, bootstrap: ivm.Script, ...ContextHandles];

/** The factory isolate's own heap: it holds only handles in transit. */
const FACTORY_MEMORY_MB = 32;

let shared: Promise<IsolateFactory> | undefined;

/**
 * Creates, warms and disposes sandbox isolates, and gives reused ones fresh contexts, off the event
 * loop: in a factory isolate whose tasks run on isolated-vm's thread pool. There is one per process
 * (`IsolateFactory.shared()`), created on first use (the only isolate created on this thread) and
 * never disposed: isolated-vm can crash the process when an isolate that created others is disposed
 * while one of those is still being torn down. It runs only the runtime's own code and holds no
 * execution's data, only handles in transit. (A second factory, to make isolates on both cores during
 * a burst, measured no faster once isolates are reused.)
 */
export class IsolateFactory {
  private constructor(
    private readonly createRef: ivm.Reference,
    private readonly prepareRef: ivm.Reference,
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
      const prepareRef = (await entries.get(1, { reference: true })) as ivm.Reference;
      const disposeRef = (await entries.get(2, { reference: true })) as ivm.Reference;
      entries.release();
      return new IsolateFactory(createRef, prepareRef, disposeRef);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * A fresh isolate with the bootstrap compiled and installed in a first context, whose outboxes go
   * to `channel`.
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

  /**
   * A fresh context in an isolate this factory's process made, with the bootstrap (compiled for that
   * isolate by `create`) installed; its outboxes go to `channel`. `previous`, the entry of the
   * isolate's last context, is detached first. The work runs on that isolate's thread, queued after
   * anything the isolate still had to do.
   */
  async prepare(
    isolate: ivm.Isolate,
    bootstrap: ivm.Script,
    channel: ivm.Reference,
    previous: SandboxEntry,
  ): Promise<ContextHandles> {
    return (await this.prepareRef.apply(undefined, [isolate, bootstrap, channel, previous], {
      result: { promise: true, copy: true },
    })) as ContextHandles;
  }

  /** Disposes an isolate in the factory's task (off this thread); the call returns at once. */
  dispose(isolate: ivm.Isolate): void {
    this.disposeRef.applyIgnored(undefined, [isolate]);
  }
}
