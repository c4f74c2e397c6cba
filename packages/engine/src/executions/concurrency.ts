import { ErrorCode, RateLimitError } from '@agent-tool-protocol/protocol';

/** Bounds running executions in total and per client; over a bound the caller gets a 429. */
export class ConcurrencyLimiter {
  private total = 0;
  private readonly perClient = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerClient: number,
  ) {}

  get running(): number {
    return this.total;
  }

  /** Takes a slot or throws RateLimitError; the returned function gives it back (idempotent). */
  acquire(clientId: string): () => void {
    const mine = this.perClient.get(clientId) ?? 0;
    if (this.total >= this.maxTotal) {
      throw new RateLimitError(
        `The server is running its maximum of ${this.maxTotal} executions; retry shortly.`,
        1,
        ErrorCode.TOO_MANY_EXECUTIONS,
      );
    }
    if (mine >= this.maxPerClient) {
      throw new RateLimitError(
        `This client already runs ${mine} executions (the limit is ${this.maxPerClient}); wait for one to finish.`,
        1,
        ErrorCode.TOO_MANY_EXECUTIONS,
      );
    }
    this.total++;
    this.perClient.set(clientId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perClient.get(clientId) ?? 1) - 1;
      if (left <= 0) this.perClient.delete(clientId);
      else this.perClient.set(clientId, left);
    };
  }
}
