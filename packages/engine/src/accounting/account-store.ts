import type { CacheProvider } from '@agent-tool-protocol/protocol';
import type { ExecutionAccount } from './cost-account.js';

const accountKey = (executionId: string) => `atp:account:${executionId}`;

/** Accounts of paused executions in the cache provider, so a resume on any instance continues them. */
export class AccountStore {
  constructor(
    private readonly cache: CacheProvider,
    private readonly ttlSeconds: number,
  ) {}

  async save(executionId: string, account: ExecutionAccount): Promise<void> {
    await this.cache.set(accountKey(executionId), account, this.ttlSeconds);
  }

  async load(executionId: string): Promise<ExecutionAccount | undefined> {
    return (await this.cache.get<ExecutionAccount>(accountKey(executionId))) ?? undefined;
  }

  async delete(executionId: string): Promise<void> {
    await this.cache.delete(accountKey(executionId));
  }
}
