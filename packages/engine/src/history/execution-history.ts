import type {
  CacheProvider,
  ExecutionSummary,
  ExecutionTrail,
  ExecutionTrailEvent,
  Logger,
} from '@agent-tool-protocol/protocol';
import type { ExecutionEvent } from '@agent-tool-protocol/runtime';
import type { ExecutionAccounting } from '../accounting/cost-account.js';

type ExecutionEnd = Extract<ExecutionEvent, { type: 'execution_end' }>;

interface StoredTrail extends ExecutionTrail {
  clientId: string;
}

/** A trail being written on this instance; `base` is what an earlier leg stored (resumes, cancels). */
interface LiveTrail {
  trail: StoredTrail;
  base?: Promise<StoredTrail | undefined>;
}

export interface ExecutionHistoryOptions {
  cache: CacheProvider;
  ttlSeconds: number;
  maxExecutions: number;
  maxEvents: number;
  logger: Logger;
}

/** Trails still being written kept in memory at most; beyond it the oldest are dropped unwritten. */
const MAX_LIVE = 10_000;
/**
 * How long a client's new summaries wait to go into its index together. Rewriting the index (up to
 * `maxExecutions` summaries read, copied and written back) is the history's main cost on the server's
 * main thread; a client running executions back to back pays it once per batch. Reading the history
 * on this instance writes the waiting summaries first, so it never misses one; another instance
 * sharing the cache may list an execution up to this much later. A waiting summary never replaces a
 * newer one of the same execution that another instance stored meanwhile.
 */
const INDEX_WRITE_DELAY_MS = 10;
const trailKey = (executionId: string) => `atp:history:execution:${executionId}`;
const indexKey = (clientId: string) => `atp:history:client:${clientId}`;

/**
 * Each client's recent executions and their audit trails, built from the runtime's lifecycle events and
 * kept in the cache provider (so every instance sees them) for `executionState.ttl` seconds. A trail is
 * written when its execution pauses or ends; the per-client index holds the latest `maxExecutions`
 * and is updated in batches (at most INDEX_WRITE_DELAY_MS after a trail is written).
 * Writes for one client are serialised on this instance; two instances ending executions of the same
 * client at the same moment may drop one of them from the index (the trail itself is kept).
 */
export class ExecutionHistory {
  private readonly live = new Map<string, LiveTrail>();
  private readonly writes = new Map<string, Promise<void>>();
  /** Summaries of stored trails not yet in their client's index, oldest first. */
  private readonly unindexed = new Map<string, ExecutionSummary[]>();
  private readonly indexTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: ExecutionHistoryOptions) {}

  /** Records a runtime lifecycle event. Never throws; storage errors are logged. */
  record(event: ExecutionEvent): void {
    if (event.type === 'tool_call' && event.replayed) return;
    const live = this.liveTrail(event);
    const trail = live.trail;
    const { type, executionId: _executionId, clientId: _clientId, ...fields } = event;
    this.push(trail, { type, at: Date.now(), ...fields });
    trail.updatedAt = Date.now();
    switch (event.type) {
      case 'tool_call':
        trail.toolCalls++;
        return;
      case 'llm_call':
        trail.llmCalls++;
        return;
      case 'approval_decided':
        trail.approvals++;
        return;
      case 'execution_resume':
        trail.status = 'running';
        return;
      case 'execution_pause':
        trail.pauses++;
        trail.status = 'paused';
        this.persist(event.executionId, live);
        return;
      case 'execution_end':
        trail.status = event.status;
        trail.durationMs = event.durationMs;
        return;
      default:
        return;
    }
  }

  /** Writes an ended execution with its accounting (called once its last call returned). */
  ended(event: ExecutionEnd, accounting: ExecutionAccounting | undefined): void {
    const live = this.live.get(event.executionId);
    if (!live) return;
    if (accounting) {
      live.trail.inputTokens = accounting.inputTokens;
      live.trail.outputTokens = accounting.outputTokens;
      live.trail.bytesReturned = accounting.bytesReturned;
    }
    this.persist(event.executionId, live);
  }

  /** This client's recent executions, newest first (running ones on this instance included). */
  async list(clientId: string): Promise<ExecutionSummary[]> {
    await this.writeIndex(clientId);
    const stored = (await this.options.cache.get<ExecutionSummary[]>(indexKey(clientId))) ?? [];
    const byId = new Map(stored.map((summary) => [summary.executionId, summary]));
    for (const live of this.live.values()) {
      if (live.trail.clientId !== clientId) continue;
      const trail = await this.merged(live);
      byId.set(trail.executionId, summaryOf(trail));
    }
    return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, this.options.maxExecutions);
  }

  /** The audit trail of one of this client's executions; undefined when unknown or another client's. */
  async get(clientId: string, executionId: string): Promise<ExecutionTrail | undefined> {
    await this.writeIndex(clientId);
    const live = this.live.get(executionId);
    const trail = live
      ? await this.merged(live)
      : await this.options.cache.get<StoredTrail>(trailKey(executionId));
    if (!trail || trail.clientId !== clientId) return undefined;
    const { clientId: _clientId, ...visible } = trail;
    return visible;
  }

  private liveTrail(event: ExecutionEvent): LiveTrail {
    const existing = this.live.get(event.executionId);
    if (existing) return existing;
    const now = Date.now();
    const live: LiveTrail = {
      trail: {
        executionId: event.executionId,
        clientId: event.clientId,
        status: 'running',
        startedAt: now,
        updatedAt: now,
        toolCalls: 0,
        llmCalls: 0,
        approvals: 0,
        pauses: 0,
        events: [],
        droppedEvents: 0,
      },
    };
    // A resume or a cancel continues a trail an earlier leg stored (here or on another instance).
    if (event.type !== 'execution_start') {
      live.base = this.afterWrites(event.clientId, () =>
        this.options.cache.get<StoredTrail>(trailKey(event.executionId)),
      );
    }
    this.live.set(event.executionId, live);
    while (this.live.size > MAX_LIVE) {
      const oldest = this.live.keys().next().value as string;
      this.live.delete(oldest);
    }
    return live;
  }

  private push(trail: StoredTrail, event: ExecutionTrailEvent): void {
    trail.events.push(event);
    if (trail.events.length > this.options.maxEvents) {
      // Keep the first event (the start) and the latest ones.
      trail.events.splice(1, 1);
      trail.droppedEvents++;
    }
  }

  private async merged(live: LiveTrail): Promise<StoredTrail> {
    const base = live.base ? await live.base.catch(() => undefined) : undefined;
    const trail = live.trail;
    if (!base || base.clientId !== trail.clientId) return { ...trail, events: [...trail.events] };
    const events = [...base.events, ...trail.events];
    const overflow = Math.max(0, events.length - this.options.maxEvents);
    if (overflow > 0) events.splice(1, overflow);
    return {
      ...trail,
      startedAt: base.startedAt,
      toolCalls: base.toolCalls + trail.toolCalls,
      llmCalls: base.llmCalls + trail.llmCalls,
      approvals: base.approvals + trail.approvals,
      pauses: base.pauses + trail.pauses,
      events,
      droppedEvents: base.droppedEvents + trail.droppedEvents + overflow,
    };
  }

  /** Stores the trail and moves it to the front of its client's index, then forgets it in memory. */
  private persist(executionId: string, live: LiveTrail): void {
    if (this.live.get(executionId) === live) this.live.delete(executionId);
    const snapshot: LiveTrail = {
      trail: { ...live.trail, events: [...live.trail.events] },
      ...(live.base ? { base: live.base } : {}),
    };
    const { clientId } = live.trail;
    void this.afterWrites(clientId, async () => {
      // After the response: the execution's result must not wait for its own history record.
      await new Promise((resolve) => setImmediate(resolve));
      const trail = await this.merged(snapshot);
      await this.options.cache.set(trailKey(executionId), trail, this.options.ttlSeconds);
      this.queueSummary(clientId, summaryOf(trail));
    }).catch((error: unknown) => {
      this.options.logger.warn({ err: error, executionId }, 'could not store the execution history');
    });
  }

  /** Writes every waiting trail and index entry (at shutdown, so none is lost). */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
    await Promise.all([...this.unindexed.keys()].map((clientId) => this.writeIndex(clientId)));
  }

  private queueSummary(clientId: string, summary: ExecutionSummary): void {
    const waiting = this.unindexed.get(clientId);
    if (waiting) waiting.push(summary);
    else this.unindexed.set(clientId, [summary]);
    if (this.indexTimers.has(clientId)) return;
    const timer = setTimeout(() => void this.writeIndex(clientId), INDEX_WRITE_DELAY_MS);
    timer.unref();
    this.indexTimers.set(clientId, timer);
  }

  /**
   * Puts the client's waiting summaries at the front of its index, after every earlier write of the
   * client on this instance (so the trails they summarise are stored first). Never rejects: when the
   * cache refuses the write, the batch's summaries stay out of the index (their trails are stored and
   * readable by execution id) and a warning is logged.
   */
  private writeIndex(clientId: string): Promise<void> {
    clearTimeout(this.indexTimers.get(clientId));
    this.indexTimers.delete(clientId);
    return this.afterWrites(clientId, async () => {
      const waiting = this.unindexed.get(clientId);
      if (!waiting) return;
      this.unindexed.delete(clientId);
      // The newest summary of an execution (a later pause or its end) wins.
      const newest = new Map<string, ExecutionSummary>();
      for (let i = waiting.length - 1; i >= 0; i--) {
        const summary = waiting[i]!;
        if (!newest.has(summary.executionId)) newest.set(summary.executionId, summary);
      }
      const cache = this.options.cache;
      const index = (await cache.get<ExecutionSummary[]>(indexKey(clientId))) ?? [];
      // Another instance may have stored a later leg of the same execution while this batch waited.
      for (const stored of index) {
        const waitingSummary = newest.get(stored.executionId);
        if (waitingSummary && stored.updatedAt > waitingSummary.updatedAt)
          newest.set(stored.executionId, stored);
      }
      const next = [...newest.values(), ...index.filter((entry) => !newest.has(entry.executionId))];
      await cache.set(indexKey(clientId), next.slice(0, this.options.maxExecutions), this.options.ttlSeconds);
    }).catch((error: unknown) => {
      this.options.logger.warn({ err: error, clientId }, 'could not store the execution history index');
    });
  }

  /** Runs `task` after this client's earlier history writes on this instance. */
  private afterWrites<T>(clientId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.writes.get(clientId) ?? Promise.resolve();
    const result = previous.then(task);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.writes.set(clientId, done);
    void done.then(() => {
      if (this.writes.get(clientId) === done) this.writes.delete(clientId);
    });
    return result;
  }
}

function summaryOf(trail: StoredTrail): ExecutionSummary {
  const { events: _events, droppedEvents: _dropped, clientId: _clientId, ...summary } = trail;
  return summary;
}
