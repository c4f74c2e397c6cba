import type { ExecutionResult } from '@agent-tool-protocol/protocol';
import { answerCallbacks } from './callbacks.js';
import type { ATPEngineLike, ExecutionListeners } from './engine-like.js';
import type { CallbackContext } from './peer.js';

export interface RunCodeRequest {
  code: string;
  timeout?: number;
}

/** The execute request body for `execute_code` input. */
export function executeBody(request: RunCodeRequest) {
  return {
    code: request.code,
    ...(request.timeout !== undefined ? { config: { timeout: request.timeout } } : {}),
  };
}

/**
 * Drives a started execution to its end: (paused → answer every pending callback concurrently → resume)*.
 * When the MCP request is cancelled, the paused execution is cancelled instead of resumed.
 */
export async function settleExecution(
  engine: ATPEngineLike,
  clientId: string,
  started: ExecutionResult,
  context: CallbackContext,
  listeners: ExecutionListeners = {},
): Promise<ExecutionResult> {
  let result = started;
  while (result.status === 'paused') {
    const pending = result.needsCallbacks ?? [];
    if (pending.length === 0) {
      const message = 'The execution paused without naming a callback to answer.';
      return { ...result, status: 'failed', error: { code: 'CALLBACK_ERROR', message } };
    }
    const results = context.signal?.aborted ? [] : await answerCallbacks(pending, context);
    if (context.signal?.aborted) {
      await engine.cancel?.(clientId, result.executionId).catch(() => undefined);
      const message = 'The MCP client cancelled the call; the execution was cancelled.';
      return { ...result, status: 'cancelled', error: { code: 'CANCELLED', message } };
    }
    result = await engine.resume(clientId, result.executionId, { results }, listeners);
  }
  return result;
}
