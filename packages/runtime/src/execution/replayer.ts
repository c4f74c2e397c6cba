import { ErrorCode, ExecutionStatus } from '@agent-tool-protocol/protocol';
import type { JournalEntry, PausedState } from '../durable/store.js';
import type { ExecutionEvents } from './events.js';
import type { HostCalls } from './host-calls.js';
import { ended, type Outcome } from './outcome.js';

/** What a replay drives: the execution's mailbox and sandbox, in replay mode (no handler runs). */
export interface ReplayTarget {
  readonly calls: HostCalls;
  readonly events: ExecutionEvents;
  /** Set once the execution ended (a limit, a protocol violation, a mismatch). */
  readonly terminalOutcome: Outcome | undefined;
  /** Sets the sandbox up and starts the agent code; an outcome when the code does not compile. */
  startSandbox(): Promise<Outcome | undefined>;
  /** Delivers one batch of results at `clock` and processes the sandbox's outbox. */
  stepSandbox(clock: number, batchJson: string): Promise<void>;
}

export function replayMismatch(what: string): Outcome {
  return ended(
    ExecutionStatus.FAILED,
    ErrorCode.NONDETERMINISTIC_REPLAY,
    `Durable resume could not replay the execution: ${what}. The code did not make the same host calls as when it ran; nothing was executed twice.`,
  );
}

/**
 * Re-runs the code in a fresh sandbox, answering every host call from the journal in the recorded
 * steps (no handler runs again), until it stands where it paused: the same calls pending as in
 * `state`. Resolves to the clock of the last step, or to an outcome when the replay failed.
 */
export async function replayJournal(
  target: ReplayTarget,
  state: PausedState,
  journal: JournalEntry[],
): Promise<{ clock: number } | { failure: Outcome }> {
  const compileFailure = await target.startSandbox();
  if (compileFailure !== undefined) return { failure: replayMismatch('the stored code no longer compiles') };
  let clock = state.startClock;
  for (const [index, entry] of journal.entries()) {
    if (target.terminalOutcome !== undefined) return { failure: target.terminalOutcome };
    let batch = '[';
    for (const [position, [id, key, ok, text]] of entry.r.entries()) {
      const call = target.calls.get(id);
      if (call === undefined || call.key !== key) {
        const made = call === undefined ? 'made no such call' : `made a different call (${call.op})`;
        return {
          failure: replayMismatch(
            `at step ${index + 1} the journal answers call #${id} (${key.split(':')[0]}) but the code ${made}`,
          ),
        };
      }
      target.calls.take(id);
      if (call.op === 'api') {
        target.events.toolCall(`api.${String(call.args.path)}`, ok ? 'ok' : 'error', performance.now(), true);
      }
      batch += `${position === 0 ? '' : ','}[${id},${ok}${text === null ? '' : `,${text}`}]`;
    }
    clock = entry.t;
    await target.stepSandbox(entry.t, `${batch}]`);
  }
  if (target.terminalOutcome !== undefined) return { failure: target.terminalOutcome };
  const expected = new Set(state.pending.map((record) => record.callId));
  for (const id of target.calls.ids()) {
    if (!expected.has(id)) {
      return { failure: replayMismatch(`call #${id} is pending but was not pending when it paused`) };
    }
  }
  for (const id of expected) {
    if (!target.calls.has(id)) {
      return { failure: replayMismatch(`call #${id} was pending when it paused but was not made`) };
    }
  }
  return { clock };
}
