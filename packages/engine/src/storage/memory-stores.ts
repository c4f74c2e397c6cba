import { MemoryCache } from '@agent-tool-protocol/protocol';
import { NamespacedCache } from './namespaced-cache.js';

const MiB = 1024 * 1024;

/** Approximate byte budgets (keys plus values' JSON) of the in-memory system store, per kind of state. */
export interface SystemStoreBudgets {
  /** Client sessions (`atp:session:`). Full: `init` answers 503, existing clients keep working. */
  sessionsBytes: number;
  /** Paused state, journals, locks and cost accounts of executions (`atp:exec:`, `atp:account:`). */
  executionsBytes: number;
  /** Per-client quota ledgers (`atp:quota:`). */
  quotaBytes: number;
  /** Execution history (`atp:history:`): the least recently used trails are evicted when full. */
  historyBytes: number;
  /** Everything else: plans, OAuth tokens and state, inferred output types, search embeddings. */
  otherBytes: number;
}

export const DEFAULT_SYSTEM_STORE_BUDGETS: SystemStoreBudgets = Object.freeze({
  sessionsBytes: 128 * MiB,
  executionsBytes: 512 * MiB,
  quotaBytes: 64 * MiB,
  historyBytes: 128 * MiB,
  otherBytes: 128 * MiB,
});

/** Entries per namespace, beyond the byte budget (many tiny keys cost memory too). */
const MAX_ENTRIES = 1_000_000;

/**
 * The default system store of an engine without `cache`: one in-memory store per kind of state, each
 * with its own budget. Full stores refuse the write (a retryable 503) instead of evicting what another
 * client needs, except history, which keeps the most recent trails.
 */
export function createSystemMemoryStore(budgets: Partial<SystemStoreBudgets> = {}): NamespacedCache {
  const size = { ...DEFAULT_SYSTEM_STORE_BUDGETS, ...budgets };
  const store = (maxBytes: number, label: string, whenFull: 'reject' | 'evict' = 'reject') =>
    new MemoryCache({ maxEntries: MAX_ENTRIES, maxBytes, whenFull, label });
  return new NamespacedCache(
    [
      { prefixes: ['atp:session:'], cache: store(size.sessionsBytes, 'session store') },
      {
        prefixes: ['atp:exec:', 'atp:account:'],
        cache: store(size.executionsBytes, 'execution state store'),
      },
      { prefixes: ['atp:quota:'], cache: store(size.quotaBytes, 'quota ledger store') },
      { prefixes: ['atp:history:'], cache: store(size.historyBytes, 'history store', 'evict') },
    ],
    store(size.otherBytes, 'system store'),
  );
}

/** Default budget of the in-memory `atp.cache` store (all clients together; per-client quotas apply first). */
export const DEFAULT_USER_CACHE_BYTES = 128 * MiB;

/**
 * The default `atp.cache` store of an engine without `cache` or `userCache`: an LRU cache whose
 * evictions only ever drop `atp.cache` data.
 */
export function createUserMemoryCache(maxBytes = DEFAULT_USER_CACHE_BYTES): MemoryCache {
  return new MemoryCache({ maxEntries: MAX_ENTRIES, maxBytes, whenFull: 'evict', label: 'atp.cache store' });
}
