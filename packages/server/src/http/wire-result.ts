import type { ExecutionResult } from '@agent-tool-protocol/protocol';

/**
 * An ExecutionResult as the server sends it. PROTOCOL.md has `needsCallback` for exactly one pending
 * callback and `needsCallbacks` for several; the engine fills both for one, which would send its
 * payload (a prompt of up to `quotas.callbacks.maxPayloadBytes`) twice. On the wire one pending
 * callback goes out once, as `needsCallback` with its `id` added.
 */
export function toWire<T extends ExecutionResult>(result: T): T {
  const pending = result.needsCallbacks;
  if (pending?.length !== 1) return result;
  const { needsCallbacks: _several, ...rest } = result as ExecutionResult;
  const [only] = pending;
  return {
    ...rest,
    needsCallback: { id: only!.id, type: only!.type, operation: only!.operation, payload: only!.payload },
  } as unknown as T;
}
