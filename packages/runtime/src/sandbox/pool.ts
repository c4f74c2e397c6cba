import type { RuntimeLogger } from '../types.js';
import { Sandbox } from './sandbox.js';

/**
 * Fresh, never-used isolates with the bootstrap already installed, so creating one is off the
 * request path. A sandbox leaves the pool for exactly one execution; the pool refills in the
 * background. Requests for a different memory limit get a sandbox created on demand.
 */
export class SandboxPool {
  private readonly ready: Sandbox[] = [];
  private filling = 0;
  private closed = false;
  private scheduled = false;

  constructor(
    private readonly size: number,
    private readonly memoryLimitMB: number,
    private readonly logger: RuntimeLogger,
  ) {
    this.refill();
  }

  get available(): number {
    return this.ready.length;
  }

  /**
   * A fresh sandbox. The pool does not refill here: creating an isolate blocks the event loop for
   * about a millisecond, so the executor calls `refillSoon()` once the execution has answered.
   */
  async take(memoryLimitMB: number): Promise<Sandbox> {
    if (memoryLimitMB === this.memoryLimitMB) {
      const sandbox = this.ready.shift();
      if (sandbox !== undefined) return sandbox;
    }
    return Sandbox.create(memoryLimitMB);
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

  private refill(): void {
    if (this.closed) return;
    while (this.ready.length + this.filling < this.size) {
      this.filling++;
      Sandbox.create(this.memoryLimitMB).then(
        (sandbox) => {
          this.filling--;
          if (this.closed) sandbox.dispose();
          else this.ready.push(sandbox);
        },
        (error: unknown) => {
          this.filling--;
          this.logger.error({ err: error }, 'failed to pre-create a sandbox isolate');
        },
      );
    }
  }

  close(): void {
    this.closed = true;
    for (const sandbox of this.ready.splice(0)) sandbox.dispose();
  }
}
