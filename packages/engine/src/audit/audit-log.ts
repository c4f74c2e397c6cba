import type { AuditEvent, AuditEventInput, AuditSink, Logger } from '@agent-tool-protocol/protocol';

/** Hands stamped audit events to every configured sink; a failing sink is logged, never thrown. */
export class AuditLog {
  constructor(private readonly options: { enabled: boolean; sinks: readonly AuditSink[]; logger: Logger }) {}

  write(event: AuditEventInput): void {
    if (!this.options.enabled) return;
    const record: AuditEvent = { timestamp: Date.now(), ...event };
    for (const sink of this.options.sinks) {
      try {
        const pending = sink.write(record);
        if (pending instanceof Promise) pending.catch((error) => this.failed(sink, error));
      } catch (error) {
        this.failed(sink, error);
      }
    }
  }

  /** Flushes, then closes every sink (errors are ignored: shutdown goes on). */
  async close(): Promise<void> {
    await Promise.allSettled(this.options.sinks.map((sink) => sink.flush?.()));
    await Promise.allSettled(this.options.sinks.map((sink) => sink.close?.()));
  }

  private failed(sink: AuditSink, error: unknown): void {
    this.options.logger.error({ err: error, sink: sink.name }, 'audit sink failed');
  }
}
