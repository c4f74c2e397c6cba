import { ErrorCode, ExecutionStatus } from '@agent-tool-protocol/protocol';
import type { JournalEntry, PausedState } from '../durable/store.js';
import type { ExecutionEvents } from './events.js';
import type { HostCalls } from './host-calls.js';
import { ended, type Outcome } from './outcome.js';

export function replayMismatch(what: string): Outcome {
  return ended(
    ExecutionStatus.FAILED,
    ErrorCode.NONDETERMINISTIC_REPLAY,
    `Durable resume could not replay the execution: ${what}. The code did not make the same host calls as when it ran; nothing was executed twice.`,
  );
}

/**
 * Answers a fresh sandbox from the journal, one recorded step at a time, checking that the code made
 * the calls each step answers (same operation and input digest). No handler runs.
 */
export class JournalReplay {
  private index = 0;
  private lastClock: number;

  constructor(
    private readonly calls: HostCalls,
    private readonly events: ExecutionEvents,
    private readonly journal: JournalEntry[],
    startClock: number,
  ) {
    this.lastClock = startClock;
  }

  /** The clock of the last step delivered. */
  get clock(): number {
    return this.lastClock;
  }

  /** The next step for the sandbox; a failure when the code did not make its calls; undefined at the end. */
  next(): { clock: number; json: string } | { failure: Outcome } | undefined {
    const entry = this.journal[this.index];
    if (entry === undefined) return undefined;
    this.index++;
    let json = '[';
    for (const [position, [id, key, ok, text]] of entry.r.entries()) {
      const call = this.calls.get(id);
      if (call === undefined || call.key !== key) {
        const made = call === undefined ? 'made no such call' : `made a different call (${call.op})`;
        return {
          failure: replayMismatch(
            `at step ${this.index} the journal answers call #${id} (${key.split(':')[0]}) but the code ${made}`,
          ),
        };
      }
      this.calls.take(id);
      if (call.op === 'api') {
        this.events.toolCall(`api.${String(call.args.path)}`, ok ? 'ok' : 'error', performance.now(), true);
      }
      json += `${position === 0 ? '' : ','}[${id},${ok}${text === null ? '' : `,${text}`}]`;
    }
    this.lastClock = entry.t;
    return { clock: entry.t, json: `${json}]` };
  }

  /** After the last step: the calls in flight must be exactly those pending when it paused. */
  verifyPending(state: PausedState): Outcome | undefined {
    if (this.index < this.journal.length) {
      return replayMismatch('the execution stopped making host calls before the end of the journal');
    }
    const expected = new Set(state.pending.map((record) => record.callId));
    for (const id of this.calls.ids()) {
      if (!expected.has(id))
        return replayMismatch(`call #${id} is pending but was not pending when it paused`);
    }
    for (const id of expected) {
      if (!this.calls.has(id))
        return replayMismatch(`call #${id} was pending when it paused but was not made`);
    }
    return undefined;
  }
}
