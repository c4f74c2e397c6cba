import { ErrorCode, type ExecutionLimits } from '@agent-tool-protocol/protocol';
import { keys } from '../durable/store.js';
import { buildCallbackPayload, CALLBACK_OPS, type CallbackOp } from './callback-payloads.js';
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
    const cacheKey = keys.userCache(this.host.clientId, key);
    const cache = this.deps.cache;
    this.host.track(
      (async () => {
        try {
          if (op === 'cache.get') this.host.resolve(id, await cache.get(cacheKey));
          else if (op === 'cache.delete') this.host.resolve(id, await cache.delete(cacheKey));
          else {
            const ttl = typeof args.ttl === 'number' && args.ttl > 0 ? args.ttl : undefined;
            await cache.set(cacheKey, args.value ?? null, ttl);
            this.host.resolve(id, undefined);
          }
        } catch (error) {
          this.host.reject(id, {
            message: `atp.${op} failed: ${describe(error)}`,
            code: ErrorCode.PROVIDER_ERROR,
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
