import type { ExecutionLimits } from '@agent-tool-protocol/protocol';

/** What the budget reads from the sandbox. */
export interface CpuClock {
  cpuTimeMs(): number;
}

/**
 * Wall-clock and CPU accounting of one execution. Wall time counts while a leg (an execute or a
 * resume call) runs, not while the execution is paused for the client; CPU time is the isolate's.
 */
export class Budget {
  private active = 0;
  private legStart = 0;
  private cpuOffset: number;

  constructor(
    readonly limits: ExecutionLimits,
    private readonly sandbox: CpuClock,
  ) {
    // The pool warmed the isolate up: that CPU time is not the execution's.
    this.cpuOffset = -sandbox.cpuTimeMs();
  }

  /** Wall time used by finished legs, in ms. */
  get activeMs(): number {
    return this.active;
  }

  startLeg(): void {
    this.legStart = performance.now();
  }

  endLeg(): void {
    this.active += performance.now() - this.legStart;
  }

  /** Wall time left when a leg starts (the leg's deadline). */
  remainingAtLegStart(): number {
    return this.limits.timeout - this.active;
  }

  cpuUsedMs(): number {
    return this.cpuOffset + this.sandbox.cpuTimeMs();
  }

  get cpuExceeded(): boolean {
    return this.cpuUsedMs() > this.limits.cpuTime;
  }

  /** After a durable replay: the time the execution had used before it paused. */
  restore(activeMs: number, cpuMs: number): void {
    this.active = activeMs;
    this.cpuOffset = cpuMs - this.sandbox.cpuTimeMs();
  }
}
