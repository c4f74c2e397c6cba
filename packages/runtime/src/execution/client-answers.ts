import { ErrorCode, isCallbackError, type SandboxErrorInfo } from '@agent-tool-protocol/protocol';
import type { PendingRecord } from '../durable/store.js';
import type { ExecutionEvents } from './events.js';
import type { HostCalls } from './host-calls.js';
import type { ToolCalls } from './tool-calls.js';

/** What applying a client answer needs from its execution. */
export interface AnswerTarget {
  readonly calls: HostCalls;
  readonly events: ExecutionEvents;
  readonly toolCalls: ToolCalls;
  resolve(id: number, value: unknown): void;
  reject(id: number, info: SandboxErrorInfo): void;
}

/**
 * Applies one client answer to its pending callback: a tool approval goes back to the tool call it
 * guards, a client tool's result through afterToolCall, an `{__error}` answer rejects the call, any
 * other answer resolves it.
 */
export function applyClientAnswer(target: AnswerTarget, record: PendingRecord, result: unknown): void {
  const id = record.callId;
  const call = target.calls.get(id);
  const path = String(call?.args.path ?? '');
  if (record.guard === 'tool-approval') {
    target.toolCalls.answerApproval(id, path, call?.args.input, result, call?.args.provenance);
    return;
  }
  if (isCallbackError(result)) {
    target.reject(id, { message: result.message, code: ErrorCode.CALLBACK_ERROR });
    return;
  }
  if (record.type === 'approval' && typeof result === 'object' && result !== null) {
    const answer = result as { approved?: unknown; reason?: unknown };
    target.events.approvalDecided(
      {
        approved: answer.approved === true,
        ...(typeof answer.reason === 'string' ? { reason: answer.reason } : {}),
      },
      'client',
    );
  }
  if (record.type === 'tool') {
    target.toolCalls.answerTool(id, path, call?.args.input, result, call?.args.provenance);
    return;
  }
  target.resolve(id, result);
}
