import { AsyncLocalStorage } from 'node:async_hooks';

/** An approval that asked the app to suspend (its `interrupt` threw) and waits for the answer. */
export interface Suspension {
  /** What `interrupt` threw (LangGraph's GraphInterrupt, or the app's own signal). */
  readonly signal: unknown;
  /** Asks `interrupt` again: on a resumed run it returns the answer, otherwise it throws again. */
  retry(): Promise<unknown>;
  /** Hands the answer to the execution that has been waiting. */
  answer(value: unknown): void;
}

/**
 * The suspensions of one running `atp_execute_code` call. The approval handler finds it through
 * AsyncLocalStorage (client → callback → handler share the async context of the tool call), so the
 * handler and the tool need no wiring between them.
 */
export class SuspensionScope {
  private readonly pending: Suspension[] = [];
  private notify: (() => void) | undefined;

  static current(): SuspensionScope | undefined {
    return storage.getStore();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return storage.run(this, work);
  }

  add(suspension: Suspension): void {
    this.pending.push(suspension);
    this.notify?.();
  }

  /** Resolves once at least one suspension is pending. */
  whenSuspended(): Promise<void> {
    if (this.pending.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.notify = () => {
        this.notify = undefined;
        resolve();
      };
    });
  }

  get firstSignal(): unknown {
    return this.pending[0]?.signal;
  }

  /** Retries pending suspensions in order; throws the signal of the first still unanswered. */
  async answerPending(): Promise<void> {
    while (this.pending.length > 0) {
      const next = this.pending[0]!;
      const value = await next.retry();
      this.pending.shift();
      next.answer(value);
    }
  }
}

const storage = new AsyncLocalStorage<SuspensionScope>();
