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
  private cpuOffset = 0;

  constructor(
    readonly limits: ExecutionLimits,
    private readonly sandbox: CpuClock,
  ) {}

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

  /**
   * The time an entry into the sandbox may take: the smaller of the wall clock and the CPU time left
   * (a replay is not charged to the wall clock). `cpuBound` tells which limit an overrun is.
   */
  entryBudget(replaying: boolean): { ms: number; cpuBound: boolean } {
    const wall = replaying
      ? this.limits.timeout
      : this.limits.timeout - this.active - (performance.now() - this.legStart);
    const cpu = this.limits.cpuTime - this.cpuUsedMs();
    return { ms: Math.max(1, Math.ceil(Math.min(wall, cpu))), cpuBound: cpu <= wall };
  }

  /** After a durable replay: the time the execution had used before it paused. */
  restore(activeMs: number, cpuMs: number): void {
    this.active = activeMs;
    this.cpuOffset = cpuMs - this.sandbox.cpuTimeMs();
  }
}
