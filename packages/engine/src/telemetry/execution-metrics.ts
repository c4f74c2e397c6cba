import type { ExecutionEvent } from '@agent-tool-protocol/runtime';
import type { TokenUsage } from '../accounting/cost-account.js';
import type { Instruments } from './instruments.js';
import { ATTR } from './names.js';

/** Turns execution lifecycle events into metrics (docs/observability.md lists them). */
export class ExecutionMetrics {
  constructor(
    private readonly instruments: Instruments,
    /** The API group of an `api.*` path, for the `atp.tool.group` attribute. */
    private readonly groupOf: (path: string) => string,
  ) {}

  record(event: ExecutionEvent): void {
    const i = this.instruments;
    switch (event.type) {
      case 'execution_resume':
        i.resumes.add(1, { [ATTR.resumeMode]: event.mode });
        return;
      case 'execution_pause':
        i.pauses.add(1);
        return;
      case 'execution_end':
        i.executions.add(1, { [ATTR.status]: event.status });
        i.executionDuration.record(event.durationMs / 1000, { [ATTR.status]: event.status });
        return;
      case 'tool_call': {
        // A durable replay answers from the journal: the call was counted when it really ran.
        if (event.replayed) return;
        const attributes = { [ATTR.toolGroup]: this.groupOf(event.path), [ATTR.toolStatus]: event.status };
        i.toolCalls.add(1, attributes);
        i.toolCallDuration.record(event.durationMs / 1000, attributes);
        return;
      }
      case 'llm_call':
        i.llmCalls.add(1, { 'atp.llm.operation': event.operation });
        return;
      default:
        return;
    }
  }

  /** Tokens a client reported with its callback answers. */
  tokens(usage: TokenUsage): void {
    if (usage.inputTokens > 0)
      this.instruments.llmTokens.add(usage.inputTokens, { [ATTR.tokenType]: 'input' });
    if (usage.outputTokens > 0)
      this.instruments.llmTokens.add(usage.outputTokens, { [ATTR.tokenType]: 'output' });
  }

  /** The time from a pause (epoch ms) to its resume, now. */
  roundTrip(pausedAt: number, mode: 'hot' | 'durable'): void {
    this.instruments.roundTripDuration.record(Math.max(0, Date.now() - pausedAt) / 1000, {
      [ATTR.resumeMode]: mode,
    });
  }
}
