import type { RuntimeLogger } from '../types.js';
import { IsolateFactory } from './factory.js';
import { Sandbox } from './sandbox.js';

interface Waiter {
  resolve(sandbox: Sandbox): void;
  reject(error: unknown): void;
}

/** How an isolate may be reused for later executions, each in a fresh context. */
export interface IsolateReuse {
  /** Executions per isolate before it is retired (1: never reused). */
  maxUses: number;
  /** An isolate whose heap is above this after an execution is retired, in bytes. */
  maxHeapBytes: number;
  /** Prepared sandboxes kept at most (fresh and reused); beyond it released isolates are retired. */
  maxIdle: number;
  /**
   * Every this many ms, prepared sandboxes beyond the pool's size that no request needed during that
   * time are retired (a burst leaves many behind).
   */
  trimIntervalMs: number;
  /**
   * Reused isolates given their fresh context at once, at most; the others wait their turn in the order
   * they were released. Each fresh context costs about a millisecond of CPU on isolated-vm's threads,
   * and isolated-vm runs a task on a new OS thread whenever its few pool threads are busy: preparing a
   * whole burst at once spawned ~3 threads per execution and competed with the running executions for
   * the cores, and the first request waiting for a sandbox got one only when the whole burst was done.
   */
  maxPreparing: number;
}

/**
 * Sandboxes ready for an execution: a fresh context with the bootstrap installed, in a new isolate or
 * in one an earlier execution ended cleanly in. A sandbox leaves the pool for exactly one execution.
 * The factory makes isolates off the event loop; the pool refills after an execution answered
 * (`refillSoon`), so on a busy machine the new isolate does not compete with the request for a core,
 * and at once when requests are waiting. An isolate handed back as reusable (`release`) gets a fresh
 * context on its own thread and rejoins the pool, unless it has had `maxUses` executions or the pool
 * already keeps `maxIdle`; at most `maxPreparing` are given theirs at a time, the others in turn. Requests for a different memory limit get a sandbox made for them (also off
 * the event loop, but the request waits for it), never reused.
 */
export class SandboxPool {
  private readonly ready: Sandbox[] = [];
  private filling = 0;
  private recycling = 0;
  private closed = false;
  private scheduled = false;
  private readonly waiting: Waiter[] = [];
  /** Reused isolates waiting for their fresh context (counted in `recycling`), oldest first. */
  private readonly toRecycle: Sandbox[] = [];
  /** Reused isolates being given their fresh context now (at most `reuse.maxPreparing`). */
  private preparing = 0;

  private lostCount = 0;
  private createdCount = 0;
  /** The fewest sandboxes ready at any time since the last trim: those were not needed. */
  private lowWater = 0;
  private trimTimer: NodeJS.Timeout | undefined;
  /** Isolates being made or given a fresh context: `close` waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  /**
   * `containCatastrophicErrors`: create each isolate on this thread with isolated-vm's catastrophic-
   * error handler (see `IsolateFactory.create`), so V8 out-of-memory failures do not abort the process.
   */
  constructor(
    private readonly size: number,
    private readonly memoryLimitMB: number,
    private readonly logger: RuntimeLogger,
    private readonly containCatastrophicErrors = false,
    private readonly reuse: IsolateReuse = {
      maxUses: 1,
      maxHeapBytes: 0,
      maxIdle: 0,
      trimIntervalMs: 0,
      maxPreparing: 1,
    },
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

  /** Isolates created so far (each serves one or, reused, several executions). */
  get created(): number {
    return this.createdCount;
  }

  /** A sandbox: a pooled one when the limit is the pool's, else one made for this request. */
  async take(memoryLimitMB: number): Promise<Sandbox> {
    if (this.closed) throw new Error('The sandbox pool is closed');
    if (memoryLimitMB !== this.memoryLimitMB || (this.size === 0 && this.reuse.maxIdle === 0))
      return this.create(memoryLimitMB);
    const sandbox = this.ready.shift();
    this.lowWater = Math.min(this.lowWater, this.ready.length);
    if (sandbox !== undefined) return sandbox;
    const next = new Promise<Sandbox>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.refill();
    return next;
  }

  /**
   * Hands back a sandbox an execution is done with, after the current turn (after the caller got its
   * result). `reusable` only when the execution ended cleanly — its code returned or threw, no limit,
   * cancel or failure of the host — with `heapBytes` used after it: then its isolate may get a fresh
   * context for a later execution. Otherwise the factory disposes the isolate off the event loop.
   */
  release(sandbox: Sandbox, reusable = false, heapBytes?: number): void {
    if (
      reusable &&
      !this.closed &&
      !sandbox.isDisposed &&
      !sandbox.isLost &&
      sandbox.memoryLimitMB === this.memoryLimitMB &&
      sandbox.isolateUses < this.reuse.maxUses &&
      heapBytes !== undefined &&
      heapBytes <= this.reuse.maxHeapBytes &&
      (this.ready.length + this.recycling < this.reuse.maxIdle || this.waiting.length > this.recycling)
    ) {
      this.recycle(sandbox);
      return;
    }
    setImmediate(() => sandbox.release());
  }

  /** Refills after the current turn of the event loop (after the caller got its result). */
  refillSoon(): void {
    if (this.closed || this.scheduled || this.ready.length + this.filling + this.recycling >= this.size)
      return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.refill();
    });
  }

  private recycle(sandbox: Sandbox): void {
    this.recycling++;
    this.toRecycle.push(sandbox);
    this.prepareQueued();
  }

  /** Starts fresh contexts for queued isolates while fewer than `maxPreparing` are under way. */
  private prepareQueued(): void {
    while (!this.closed && this.preparing < this.reuse.maxPreparing && this.toRecycle.length > 0) {
      const sandbox = this.toRecycle.shift()!;
      this.preparing++;
      const afterThisTurn = new Promise<void>((resolve) => setImmediate(resolve));
      this.track(afterThisTurn.then(() => sandbox.next())).then(
        (next) => {
          this.preparing--;
          this.recycling--;
          this.offer(next);
          this.prepareQueued();
        },
        (error: unknown) => {
          this.preparing--;
          this.recycling--;
          this.logger.debug({ err: error }, 'a sandbox isolate could not be reused; it was retired');
          this.refill();
          this.prepareQueued();
        },
      );
    }
  }

  private async create(memoryLimitMB: number): Promise<Sandbox> {
    const onLost = this.containCatastrophicErrors
      ? () => {
          this.lostCount++;
        }
      : undefined;
    this.createdCount++;
    return Sandbox.create(await IsolateFactory.shared(), memoryLimitMB, onLost);
  }

  /** A prepared sandbox goes to the oldest waiting request, else into the pool. */
  private offer(sandbox: Sandbox): void {
    if (this.closed) {
      sandbox.dispose();
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter !== undefined) waiter.resolve(sandbox);
    else {
      this.ready.push(sandbox);
      this.scheduleTrim();
    }
  }

  /** While more than `size` sandboxes are ready, retires those no request needed for a while. */
  private scheduleTrim(): void {
    if (this.trimTimer !== undefined || this.ready.length <= this.size || this.reuse.trimIntervalMs <= 0)
      return;
    this.lowWater = this.ready.length;
    this.trimTimer = setTimeout(() => {
      this.trimTimer = undefined;
      const unneeded = Math.min(this.lowWater, this.ready.length) - this.size;
      if (unneeded > 0) for (const sandbox of this.ready.splice(-unneeded)) sandbox.release();
      this.scheduleTrim();
    }, this.reuse.trimIntervalMs);
    this.trimTimer.unref();
  }

  private refill(): void {
    while (
      !this.closed &&
      this.ready.length + this.filling + this.recycling < this.size + this.waiting.length
    ) {
      this.filling++;
      this.track(this.create(this.memoryLimitMB)).then(
        (sandbox) => {
          this.filling--;
          this.offer(sandbox);
        },
        (error: unknown) => {
          this.filling--;
          this.logger.error({ err: error }, 'failed to pre-create a sandbox isolate');
          this.waiting.shift()?.reject(error);
        },
      );
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Disposes every pooled isolate, once the ones being made or given a fresh context are done
   * (isolated-vm can crash the process when it exits while an isolate is being prepared).
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.trimTimer);
    for (const sandbox of this.toRecycle.splice(0)) {
      this.recycling--;
      sandbox.dispose();
    }
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('The executor was disposed'));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    for (const sandbox of this.ready.splice(0)) sandbox.dispose();
  }
}
