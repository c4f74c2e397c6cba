import type { LogEntry } from '@agent-tool-protocol/protocol';
import type { ExecutionDeps, LegListeners } from './deps.js';

const MAX_LOGS_PER_LEG = 1_000;
const MAX_LOG_MESSAGE = 10_000;

/**
 * `atp.log` / `console.*` and `atp.progress` of one execution: captured per leg (for the result),
 * sent to the leg's listeners, the executor's listeners and the logger. Nothing is reported while a
 * durable resume replays (it was reported when it first ran).
 */
export class AgentOutput {
  private entries: LogEntry[] = [];
  private droppedCount = 0;
  private listeners: LegListeners = {};
  replaying = false;

  constructor(
    private readonly deps: ExecutionDeps,
    private readonly executionId: string,
    private readonly clientId: string,
  ) {}

  /** A new leg: its own log capture and listeners. */
  startLeg(listeners: LegListeners): void {
    this.listeners = listeners;
    this.entries = [];
    this.droppedCount = 0;
  }

  get logs(): LogEntry[] {
    return this.entries;
  }

  get dropped(): number {
    return this.droppedCount;
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
    this.entries.push(entry);
    this.listeners.onLog?.(entry);
    this.deps.onLog?.({ ...entry, executionId: this.executionId, clientId: this.clientId });
    this.deps.logger[level](
      { executionId: this.executionId, clientId: this.clientId, source: 'agent', data: entry.data },
      entry.message,
    );
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
