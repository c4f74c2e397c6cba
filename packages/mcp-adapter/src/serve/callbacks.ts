import { callbackError, type PendingCallback } from '@agent-tool-protocol/protocol';
import { errorMessage } from '../errors.js';
import { elicitApproval } from './approval.js';
import { type CallbackContext, supportsFormElicitation, supportsSampling } from './peer.js';
import { sampleCall, sampleClassify, sampleExtract } from './sampling.js';

type Answer = (payload: Record<string, unknown>, context: CallbackContext) => Promise<unknown>;

interface Route {
  capability: 'sampling' | 'elicitation';
  supported: (context: CallbackContext) => boolean;
  answer: Answer;
}

const sampling = (answer: Answer): Route => ({
  capability: 'sampling',
  supported: (context) => supportsSampling(context.peer),
  answer,
});

const ROUTES: Record<string, Route> = {
  'llm/call': sampling(sampleCall),
  'llm/extract': sampling(sampleExtract),
  'llm/classify': sampling(sampleClassify),
  'approval/request': {
    capability: 'elicitation',
    supported: (context) => supportsFormElicitation(context.peer),
    answer: elicitApproval,
  },
};

/**
 * The result for one paused-execution callback: `atp.llm.*` through MCP sampling, `atp.approval.request`
 * through MCP elicitation. Never throws: a failure becomes `{__error, message}`, which the awaiting call
 * inside the sandbox throws.
 */
export async function answerCallback(callback: PendingCallback, context: CallbackContext): Promise<unknown> {
  const kind = `${callback.type}/${callback.operation}`;
  const route = ROUTES[kind];
  const what = `atp.${callback.type}.${callback.operation}`;
  if (!route) return callbackError(`${what} cannot be answered over MCP (no MCP equivalent)`);
  if (!route.supported(context)) {
    return callbackError(
      `${what} needs MCP ${route.capability}, but the MCP client does not support ${route.capability}`,
    );
  }
  try {
    return await route.answer(callback.payload, context);
  } catch (error) {
    return callbackError(`${what} failed: MCP ${route.capability} request failed: ${errorMessage(error)}`);
  }
}

/** Answers every pending callback at once (an LLM fan-out is one round of concurrent sampling). */
export function answerCallbacks(
  callbacks: readonly PendingCallback[],
  context: CallbackContext,
): Promise<Array<{ id: string; result: unknown }>> {
  return Promise.all(
    callbacks.map(async (callback) => ({ id: callback.id, result: await answerCallback(callback, context) })),
  );
}
