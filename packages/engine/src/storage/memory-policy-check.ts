import type { CacheProvider } from '@agent-tool-protocol/protocol';

/**
 * What is wrong with how the stores free memory, as sentences for the log (docs/deployment.md): system
 * state must never be evicted, and `atp.cache` data must not be able to push it out.
 */
export async function memoryPolicyWarnings(system: CacheProvider, user: CacheProvider): Promise<string[]> {
  const warnings: string[] = [];
  const systemPolicy = await system.memoryPolicy?.().catch(() => undefined);
  if (systemPolicy && systemPolicy.maxBytes > 0 && systemPolicy.policy !== 'noeviction') {
    warnings.push(
      `The system store (${system.name}) evicts keys when it reaches maxmemory (maxmemory-policy ${systemPolicy.policy}): sessions, paused executions, OAuth tokens and quota ledgers can be lost. Set maxmemory-policy noeviction on it (docs/deployment.md).`,
    );
  }
  if (user === system && systemPolicy && systemPolicy.maxBytes > 0) {
    warnings.push(
      `atp.cache data shares the system store (${system.name}, maxmemory ${systemPolicy.maxBytes} bytes): per-client quotas bound each client, but many clients together can fill it, and then system writes fail. Give atp.cache its own store (userCache, e.g. a second Redis with maxmemory-policy allkeys-lru).`,
    );
  }
  return warnings;
}
