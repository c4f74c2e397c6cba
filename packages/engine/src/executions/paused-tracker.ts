import { ErrorCode, RateLimitError } from '@agent-tool-protocol/protocol';

/**
 * Counts each client's paused executions on this instance (from the runtime's pause and end
 * events) so one client cannot park an unbounded number of them. An entry is forgotten when its
 * execution ends or its paused state expires.
 */
export class PausedTracker {
  private readonly byClient = new Map<string, Map<string, number>>();
  private added = 0;

  constructor(
    private readonly maxPerClient: number,
    private readonly ttlSeconds: number,
  ) {}

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

  /** Throws a 429 when the client already holds its maximum of paused executions. */
  assertRoom(clientId: string): void {
    const held = this.count(clientId);
    if (held < this.maxPerClient) return;
    throw new RateLimitError(
      `This client holds ${held} paused executions (execution.maxPausedPerClient is ${this.maxPerClient}); resume or cancel one first.`,
      5,
      ErrorCode.TOO_MANY_EXECUTIONS,
    );
  }
}
