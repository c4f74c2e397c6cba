import type { LogEntry } from '@agent-tool-protocol/protocol';
import type { CounterState } from '../durable/store.js';
import type { ExecutionDeps, LegListeners } from './deps.js';

/** The log quota that dropped entries in a leg: its config path and limit. */
export interface LogQuotaReached {
  quota: string;
  limit: number;
}

const MAX_LOGS_PER_LEG = 1_000;
const MAX_LOG_MESSAGE = 10_000;

/**
 * `atp.log` / `console.*` and `atp.progress` of one execution: captured per leg (for the result),
 * sent to the leg's listeners, the executor's listeners and the logger. Nothing is reported while a
 * durable resume replays (it was reported when it first ran). The executor's log quotas bound the
 * entries and bytes of the whole execution (kept in its counters, so they hold across resumes).
 */
export class AgentOutput {
  private entries: LogEntry[] = [];
  private droppedCount = 0;
  private quotaReached: LogQuotaReached | undefined;
  private listeners: LegListeners = {};
  replaying = false;

  constructor(
    private readonly deps: ExecutionDeps,
    private readonly executionId: string,
    private readonly clientId: string,
    private readonly counters: CounterState,
  ) {}

  /** A new leg: its own log capture and listeners. */
  startLeg(listeners: LegListeners): void {
    this.listeners = listeners;
    this.entries = [];
    this.droppedCount = 0;
    this.quotaReached = undefined;
  }

  get logs(): LogEntry[] {
    return this.entries;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** The log quota that dropped entries in this leg, if one did. */
  get quota(): LogQuotaReached | undefined {
    return this.quotaReached;
  }

  log(level: LogEntry['level'], message: unknown, data: unknown): void {
    if (this.replaying) return;
    if (this.entries.length >= MAX_LOGS_PER_LEG) {
      this.droppedCount++;
      return;
    }
    const text = String(message);
    const entry: LogEntry = {
      level,
      message: text.length > MAX_LOG_MESSAGE ? `${text.slice(0, MAX_LOG_MESSAGE)}…` : text,
      timestamp: Date.now(),
    };
    if (data !== null && data !== undefined) entry.data = data;
    if (!this.withinQuota(entry)) return;
    this.entries.push(entry);
    this.listeners.onLog?.(entry);
    this.deps.onLog?.({ ...entry, executionId: this.executionId, clientId: this.clientId });
    this.deps.logger[level](
      { executionId: this.executionId, clientId: this.clientId, source: 'agent', data: entry.data },
      entry.message,
    );
  }

  /** Counts the entry against the execution's log quotas; false (and counted as dropped) beyond them. */
  private withinQuota(entry: LogEntry): boolean {
    const { maxLogEntries, maxLogBytes } = this.deps.quotas;
    const entries = this.counters.logEntries ?? 0;
    const bytes = this.counters.logBytes ?? 0;
    const size =
      Buffer.byteLength(entry.message) +
      (entry.data === undefined ? 0 : Buffer.byteLength(JSON.stringify(entry.data) ?? ''));
    if (entries >= maxLogEntries) {
      this.quotaReached = { quota: 'quotas.logs.maxEntries', limit: maxLogEntries };
    } else if (bytes + size > maxLogBytes) {
      this.quotaReached = { quota: 'quotas.logs.maxBytes', limit: maxLogBytes };
    } else {
      this.counters.logEntries = entries + 1;
      this.counters.logBytes = bytes + size;
      return true;
    }
    this.droppedCount++;
    return false;
  }

  progress(message: unknown, fraction: unknown, data: unknown): void {
    if (this.replaying) return;
    const event = {
      executionId: this.executionId,
      message: String(message),
      timestamp: Date.now(),
      ...(typeof fraction === 'number' ? { fraction } : {}),
      ...(data !== null && data !== undefined ? { data } : {}),
    };
    this.listeners.onProgress?.(event);
    this.deps.onProgress?.({ ...event, clientId: this.clientId });
  }
}
