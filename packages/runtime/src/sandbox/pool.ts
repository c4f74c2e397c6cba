import type { RuntimeLogger } from '../types.js';
import { IsolateFactory } from './factory.js';
import { Sandbox } from './sandbox.js';

interface Waiter {
  resolve(sandbox: Sandbox): void;
  reject(error: unknown): void;
}

/**
 * Fresh, never-used isolates with the bootstrap installed and warmed. A sandbox leaves the pool for
 * exactly one execution. The factory creates them off the event loop; the pool refills after an
 * execution answered (`refillSoon`), so on a busy machine the new isolate does not compete with the
 * request for a core, and at once when requests are waiting. Requests for a different memory limit get
 * a sandbox made for them (also off the event loop, but the request waits for it).
 */
export class SandboxPool {
  private readonly ready: Sandbox[] = [];
  private filling = 0;
  private closed = false;
  private scheduled = false;
  private readonly waiting: Waiter[] = [];

  private lostCount = 0;

  /**
   * `containCatastrophicErrors`: create each isolate on this thread with isolated-vm's catastrophic-
   * error handler (see `IsolateFactory.create`), so V8 out-of-memory failures do not abort the process.
   */
  constructor(
    private readonly size: number,
    private readonly memoryLimitMB: number,
    private readonly logger: RuntimeLogger,
    private readonly containCatastrophicErrors = false,
  ) {
    this.refill();
  }

  get available(): number {
    return this.ready.length;
  }

  /** Isolates lost to catastrophic errors (their threads stay parked until the process exits). */
  get lost(): number {
    return this.lostCount;
  }

  /** A fresh sandbox: a pooled one when the limit is the pool's, else one made for this request. */
  async take(memoryLimitMB: number): Promise<Sandbox> {
    if (this.closed) throw new Error('The sandbox pool is closed');
    if (memoryLimitMB !== this.memoryLimitMB || this.size === 0) return this.create(memoryLimitMB);
    const sandbox = this.ready.shift();
    if (sandbox !== undefined) return sandbox;
    const next = new Promise<Sandbox>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.refill();
    return next;
  }

  /**
   * Frees a sandbox an execution is done with: the factory disposes it off the event loop, after the
   * current turn (after the caller got its result).
   */
  release(sandbox: Sandbox): void {
    setImmediate(() => sandbox.release());
  }

  /** Refills after the current turn of the event loop (after the caller got its result). */
  refillSoon(): void {
    if (this.closed || this.scheduled || this.ready.length + this.filling >= this.size) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.refill();
    });
  }

  private async create(memoryLimitMB: number): Promise<Sandbox> {
    const onLost = this.containCatastrophicErrors
      ? () => {
          this.lostCount++;
        }
      : undefined;
    return Sandbox.create(await IsolateFactory.shared(), memoryLimitMB, onLost);
  }

  private refill(): void {
    while (!this.closed && this.ready.length + this.filling < this.size + this.waiting.length) {
      this.filling++;
      this.create(this.memoryLimitMB).then(
        (sandbox) => {
          this.filling--;
          if (this.closed) {
            sandbox.release();
            return;
          }
          const waiter = this.waiting.shift();
          if (waiter !== undefined) waiter.resolve(sandbox);
          else this.ready.push(sandbox);
        },
        (error: unknown) => {
          this.filling--;
          this.logger.error({ err: error }, 'failed to pre-create a sandbox isolate');
          this.waiting.shift()?.reject(error);
        },
      );
    }
  }

  close(): void {
    this.closed = true;
    for (const sandbox of this.ready.splice(0)) sandbox.release();
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('The executor was disposed'));
  }
}
