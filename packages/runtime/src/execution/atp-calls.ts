import { ErrorCode, type ExecutionLimits, isATPError } from '@agent-tool-protocol/protocol';
import {
  buildCallbackPayload,
  CALLBACK_OPS,
  type CallbackOp,
  oversizedPayload,
} from './callback-payloads.js';
import type { ExecutionDeps } from './deps.js';
import type { ExecutionEvents } from './events.js';
import { limitOutcomes } from './outcome.js';
import type { ToolCallHost, ToolCalls } from './tool-calls.js';
import { describe } from './values.js';

const MAX_CACHE_KEY = 512;

/** The host side of `atp.cache.*` and of the `atp.*` calls that become client callbacks. */
export class AtpCalls {
  constructor(
    private readonly host: ToolCallHost & { readonly limits: ExecutionLimits },
    private readonly deps: ExecutionDeps,
    private readonly events: ExecutionEvents,
    private readonly toolCalls: ToolCalls,
  ) {}

  /** `atp.cache.get/set/delete`, on the cache provider, namespaced per client. */
  cache(id: number, op: 'cache.get' | 'cache.set' | 'cache.delete', args: Record<string, unknown>): void {
    const key = args.key;
    if (typeof key !== 'string' || key === '' || key.length > MAX_CACHE_KEY) {
      this.host.reject(id, {
        name: 'TypeError',
        message: `atp.${op} expects a non-empty string key of at most ${MAX_CACHE_KEY} characters`,
        code: ErrorCode.VALIDATION_ERROR,
      });
      return;
    }
    const { clientId } = this.host;
    const store = this.deps.userCache;
    this.host.track(
      (async () => {
        try {
          if (op === 'cache.get') this.host.resolve(id, await store.get(clientId, key));
          else if (op === 'cache.delete') this.host.resolve(id, await store.delete(clientId, key));
          else {
            const ttl = typeof args.ttl === 'number' && args.ttl > 0 ? args.ttl : undefined;
            await store.set(clientId, key, args.value ?? null, ttl);
            this.host.resolve(id, undefined);
          }
        } catch (error) {
          // The store's own refusals (a quota) reach the agent as they are; anything else is the provider.
          const quota = isATPError(error) && error.code === ErrorCode.QUOTA_EXCEEDED;
          this.host.reject(id, {
            message: `atp.${op} failed: ${describe(error)}`,
            code: quota ? ErrorCode.QUOTA_EXCEEDED : ErrorCode.PROVIDER_ERROR,
            ...(quota && error.details !== undefined ? { details: error.details } : {}),
          });
        }
      })(),
    );
  }

  /**
   * `atp.llm.*`, `atp.approval.request`, `atp.embedding.*`: a pending client callback `cb_<id>`, or
   * a clear error when the client did not declare the service (approvals fall back to the server's
   * onApproval).
   */
  callback(id: number, op: CallbackOp, args: Record<string, unknown>): void {
    const spec = CALLBACK_OPS[op];
    const { limits, counters } = this.host;
    if (spec.type === 'llm' && ++counters.llm > limits.maxLLMCalls) {
      this.host.endWith(limitOutcomes.llm(limits.maxLLMCalls));
      return;
    }
    if (op === 'approval.request') counters.approval++;
    const built = buildCallbackPayload(op, args, this.host.executionId);
    if ('error' in built) {
      this.host.reject(id, { name: 'TypeError', message: built.error, code: ErrorCode.VALIDATION_ERROR });
      return;
    }
    const oversized = oversizedPayload(`atp.${op}`, built.payload, this.deps.quotas.maxCallbackPayloadBytes);
    if (oversized !== undefined) {
      this.host.reject(id, oversized);
      return;
    }
    if (!this.host.services[spec.service]) {
      if (op === 'approval.request' && this.deps.onApproval !== undefined) {
        const message = String(built.payload.message);
        this.events.approvalRequested(message, 'server');
        this.host.track(
          (async () => {
            const answer = await this.toolCalls.serverApproval(message, built.payload.context);
            this.events.approvalDecided(answer, 'server');
            this.host.resolve(id, answer);
          })(),
        );
        return;
      }
      this.host.reject(id, {
        message: `atp.${op} is unavailable: this client did not provide ${spec.what} (services.${spec.service})`,
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
      return;
    }
    const callbackId = `cb_${id}`;
    this.host.pending.set(callbackId, {
      id: callbackId,
      type: spec.type,
      operation: spec.operation,
      payload: built.payload,
      callId: id,
    });
    if (spec.type === 'llm') this.events.llmCall(spec.operation, callbackId);
    else if (spec.type === 'approval') {
      this.events.approvalRequested(String(built.payload.message), 'client', { callbackId });
    }
  }
}
