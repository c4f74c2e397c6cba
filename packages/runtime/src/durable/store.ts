import type {
  CacheProvider,
  ClientServices,
  ExecutionLimits,
  ExecutionStatus,
  PendingCallback,
} from '@agent-tool-protocol/protocol';
import type { BodySourceMap } from '../sandbox/positions.js';
import type { ClientToolRef } from '../types.js';

/** One delivered result: call id, call key (op, path and input digest), ok flag, JSON value. */
export type JournalResult = [id: number, key: string, ok: 0 | 1, value: string | null];

/** One step of the execution: the results delivered together, and the sandbox clock at that step. */
export interface JournalEntry {
  t: number;
  r: JournalResult[];
}

/** A pending client callback, plus what the host needs to continue after its answer. */
export interface PendingRecord extends PendingCallback {
  /** The sandbox call this callback belongs to. */
  callId: number;
  /** `approval` callbacks raised by a beforeToolCall `approve` decision guard a tool call. */
  guard?: 'tool-approval';
}

export interface CounterState {
  llm: number;
  approval: number;
  tools: number;
  hostCalls: number;
  /** Log entries and bytes kept so far (absent in state written before log quotas). */
  logEntries?: number;
  logBytes?: number;
}

/** Everything needed to resume an execution on any server instance. Its size never grows with history. */
export interface PausedState {
  v: 1;
  status: 'paused';
  executionId: string;
  clientId: string;
  /** The agent code after type stripping and the transform hook, ready to compile. */
  body: string;
  /** Characters at the start of `body` the transformCode hook prepended (absent: none). */
  preludeLength?: number;
  /** The source map of code that type stripping had to transform (enums, namespaces). */
  positions?: BodySourceMap;
  seed: number[];
  startClock: number;
  limits: ExecutionLimits;
  services: ClientServices;
  clientTools: ClientToolRef[];
  pending: PendingRecord[];
  journalLength: number;
  /** Increments at each pause: a hot isolate from an older pause is stale. */
  pauseSeq: number;
  activeMs: number;
  cpuMs: number;
  counters: CounterState;
  lastClock: number;
}

export interface FinishedState {
  v: 1;
  status: Exclude<ExecutionStatus, 'paused'>;
  executionId: string;
  clientId: string;
}

export type StoredState = PausedState | FinishedState;

const PREFIX = 'atp:exec:';

export const keys = {
  state: (executionId: string) => `${PREFIX}${executionId}:state`,
  journal: (executionId: string) => `${PREFIX}${executionId}:journal`,
  lock: (executionId: string) => `${PREFIX}${executionId}:lock`,
  userCache: (clientId: string, key: string) => `atp:cache:${clientId}:${key}`,
};

/**
 * Which execution a cache key of this store belongs to, and what it holds: for a host that meters
 * durable state (e.g. per-client quotas) by wrapping the CacheProvider it gives the executor.
 */
export function executionKeyOf(
  key: string,
): { executionId: string; kind: 'state' | 'journal' | 'lock' } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const separator = key.lastIndexOf(':');
  const kind = key.slice(separator + 1);
  if (separator <= PREFIX.length || (kind !== 'state' && kind !== 'journal' && kind !== 'lock')) {
    return undefined;
  }
  return { executionId: key.slice(PREFIX.length, separator), kind };
}

export class ExecutionStore {
  constructor(
    private readonly cache: CacheProvider,
    private readonly ttlSeconds: number,
  ) {}

  async load(executionId: string): Promise<StoredState | undefined> {
    const state = await this.cache.get<StoredState>(keys.state(executionId));
    return state !== undefined && state !== null && (state as { v?: unknown }).v === 1 ? state : undefined;
  }

  /** Appends the journal entries not yet written, then writes the paused state. */
  async savePaused(state: PausedState, newEntries: JournalEntry[]): Promise<void> {
    const journalKey = keys.journal(state.executionId);
    if (newEntries.length > 0) {
      await this.appendJournal(state.executionId, state.journalLength - newEntries.length, newEntries);
    } else if (state.journalLength > 0) {
      await this.cache.expire(journalKey, this.ttlSeconds);
    }
    await this.cache.set(keys.state(state.executionId), state, this.ttlSeconds);
  }

  /** Appends entries after the first `previousLength` ones (repairing a journal left longer by a crash). */
  async appendJournal(executionId: string, previousLength: number, entries: JournalEntry[]): Promise<void> {
    const journalKey = keys.journal(executionId);
    let expected = previousLength;
    for (const entry of entries) {
      const length = await this.cache.append(journalKey, entry, this.ttlSeconds);
      if (length !== ++expected) {
        await this.repairJournal(journalKey, previousLength, entries);
        return;
      }
    }
  }

  /** A journal holding entries past the recorded length (a crash mid-flush): keep the valid prefix. */
  private async repairJournal(
    journalKey: string,
    validLength: number,
    newEntries: JournalEntry[],
  ): Promise<void> {
    const valid =
      validLength === 0 ? [] : await this.cache.range<JournalEntry>(journalKey, 0, validLength - 1);
    await this.cache.delete(journalKey);
    for (const entry of [...valid, ...newEntries])
      await this.cache.append(journalKey, entry, this.ttlSeconds);
  }

  async saveFinished(state: FinishedState): Promise<void> {
    await this.cache.set(keys.state(state.executionId), state, this.ttlSeconds);
    await this.cache.delete(keys.journal(state.executionId));
  }

  async journal(executionId: string, length: number): Promise<JournalEntry[]> {
    if (length === 0) return [];
    return this.cache.range<JournalEntry>(keys.journal(executionId), 0, length - 1);
  }

  /** Exactly one holder across every server sharing the cache; the token releases it. */
  async lock(executionId: string, token: string, ttlSeconds: number): Promise<boolean> {
    return this.cache.setIfAbsent(keys.lock(executionId), token, ttlSeconds);
  }

  async renewLock(executionId: string, ttlSeconds: number): Promise<void> {
    await this.cache.expire(keys.lock(executionId), ttlSeconds);
  }

  async unlock(executionId: string, token: string): Promise<void> {
    await this.cache.deleteIfEquals(keys.lock(executionId), token);
  }
}
