/**
 * Counts the executions that paused on this instance and have not ended (from the runtime's pause and
 * end events), for `engine.pausedExecutions`. An entry is forgotten when its execution ends or its
 * paused state expires. The per-client limit lives in the quota ledger (`DurableStateMeter`), which
 * every instance shares.
 */
export class PausedTracker {
  private readonly byClient = new Map<string, Map<string, number>>();
  private added = 0;

  constructor(private readonly ttlSeconds: number) {}

  paused(clientId: string, executionId: string): void {
    let mine = this.byClient.get(clientId);
    if (!mine) {
      mine = new Map();
      this.byClient.set(clientId, mine);
    }
    mine.set(executionId, Date.now() + this.ttlSeconds * 1000);
    // Clients that never come back are only pruned when counted: sweep everyone now and then.
    if (++this.added % 256 === 0) void this.total;
  }

  ended(clientId: string, executionId: string): void {
    const mine = this.byClient.get(clientId);
    if (!mine) return;
    mine.delete(executionId);
    if (mine.size === 0) this.byClient.delete(clientId);
  }

  count(clientId: string): number {
    const mine = this.byClient.get(clientId);
    if (!mine) return 0;
    const now = Date.now();
    for (const [executionId, expiresAt] of mine) if (expiresAt <= now) mine.delete(executionId);
    if (mine.size === 0) this.byClient.delete(clientId);
    return mine.size;
  }

  /** Paused executions tracked across all clients, not yet expired. */
  get total(): number {
    let total = 0;
    for (const clientId of [...this.byClient.keys()]) total += this.count(clientId);
    return total;
  }
}
