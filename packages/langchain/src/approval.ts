import type { ApprovalHandler } from '@agent-tool-protocol/client';
import type { ApprovalResponse } from '@agent-tool-protocol/protocol';
import { SuspensionScope } from './suspension.js';

/** What agent code asked to approve: `atp.approval.request(message, context)`. */
export interface ApprovalRequest {
  message: string;
  context?: unknown;
}

/** The value handed to an app's `interrupt` function (shown to the person who decides). */
export interface ApprovalInterruptValue extends ApprovalRequest {
  type: 'atp_approval';
}

/** What an app may answer: a boolean, `{ approved, reason }`, or a word (`'yes'`, `'approve'`; other words deny). */
export type ApprovalAnswer = boolean | string | ApprovalResponse;

const YES = new Set(['approve', 'approved', 'yes', 'y', 'true', 'ok']);

/** Turns whatever an app answers (boolean, `{approved}`, "yes") into an ApprovalResponse; anything else denies. */
export function toApprovalResponse(answer: unknown): ApprovalResponse {
  if (typeof answer === 'boolean') return { approved: answer };
  if (typeof answer === 'string') {
    return YES.has(answer.trim().toLowerCase()) ? { approved: true } : { approved: false, reason: answer };
  }
  if (
    typeof answer === 'object' &&
    answer !== null &&
    typeof (answer as ApprovalResponse).approved === 'boolean'
  ) {
    const { approved, reason } = answer as ApprovalResponse;
    return reason === undefined ? { approved } : { approved, reason: String(reason) };
  }
  return { approved: false, reason: 'The approval answer was not understood, so the action was denied.' };
}

export interface ApprovalFromCallbackOptions {
  /** Deny when the callback has not answered after this many ms (default: wait as long as the server allows). */
  timeoutMs?: number;
}

/**
 * An approval service for `client.provideApproval` from a plain callback. Fails closed: a callback
 * that throws or times out denies, with the reason passed back to the agent code.
 */
export function approvalFromCallback(
  callback: (request: ApprovalRequest) => ApprovalAnswer | Promise<ApprovalAnswer>,
  options: ApprovalFromCallbackOptions = {},
): ApprovalHandler {
  return async (message, context) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = Promise.resolve(callback({ message, context }));
      if (options.timeoutMs === undefined) return toApprovalResponse(await answer);
      const timeout = new Promise<ApprovalResponse>((resolve) => {
        timer = setTimeout(
          () => resolve({ approved: false, reason: `No approval answer within ${options.timeoutMs} ms.` }),
          options.timeoutMs,
        );
      });
      return await Promise.race([answer.then(toApprovalResponse), timeout]);
    } catch (error) {
      return {
        approved: false,
        reason: `The approval callback failed: ${(error as Error)?.message ?? String(error)}`,
      };
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * An approval service that asks through an interrupt function, LangGraph style: pass LangGraph's
 * `interrupt` (or any function that throws to suspend the run and, when the run is resumed, returns
 * the answer). When `interrupt` throws inside `atp_execute_code`, the tool rethrows it and keeps the
 * ATP execution paused; when the tool is called again with the same code (the resumed run),
 * `interrupt` returns the answer and the same execution continues — nothing runs twice.
 */
export function approvalFromInterrupt(
  interrupt: (value: ApprovalInterruptValue) => unknown,
): ApprovalHandler {
  return async (message, context) => {
    const value: ApprovalInterruptValue = { type: 'atp_approval', message, context };
    try {
      return toApprovalResponse(await interrupt(value));
    } catch (signal) {
      const scope = SuspensionScope.current();
      // Outside an ATP tool call there is nothing to suspend: the client reports the error to the code.
      if (!scope) throw signal;
      return new Promise<ApprovalResponse>((resolve) => {
        scope.add({
          signal,
          retry: async () => interrupt(value),
          answer: (answer) => resolve(toApprovalResponse(answer)),
        });
      });
    }
  };
}
