import {
  type ClientServices,
  ErrorCode,
  ExecutionStatus,
  isCallbackError,
  type ResolvedFunction,
  type SandboxErrorInfo,
  type ToolCallContext,
  type ToolCallDecision,
} from '@agent-tool-protocol/protocol';
import type { CounterState, PendingRecord } from '../durable/store.js';
import type { ClientToolRef } from '../types.js';
import { oversizedPayload } from './callback-payloads.js';
import type { ExecutionDeps } from './deps.js';
import type { ExecutionEvents } from './events.js';
import { ended, type Outcome } from './outcome.js';
import { describe, errorInfoFromHost } from './values.js';

type ToolTarget = { kind: 'api'; fn: ResolvedFunction } | { kind: 'client'; tool: ClientToolRef };

/** What the tool-call flow needs from its execution. */
export interface ToolCallHost {
  readonly executionId: string;
  readonly clientId: string;
  readonly services: ClientServices;
  readonly pending: Map<string, PendingRecord>;
  readonly counters: CounterState;
  readonly isTerminal: boolean;
  readonly signal: AbortSignal;
  resolve(id: number, value: unknown): void;
  reject(id: number, info: SandboxErrorInfo): void;
  /** Ends the execution (first outcome wins) and wakes the driver. */
  endWith(outcome: Outcome): void;
  /** Host work the execution waits for (it blocks pausing). */
  track(work: Promise<void>): void;
}

/**
 * `api.*` functions and client tools: resolution, the beforeToolCall/afterToolCall hooks,
 * approvals (client callback, else the server's onApproval, else blocked), and the call itself.
 */
export class ToolCalls {
  private readonly clientTools = new Map<string, ClientToolRef>();

  constructor(
    private readonly host: ToolCallHost,
    private readonly deps: ExecutionDeps,
    private readonly events: ExecutionEvents,
    clientTools: ClientToolRef[],
  ) {
    for (const tool of clientTools) this.clientTools.set(`${tool.namespace ?? 'client'}.${tool.name}`, tool);
  }

  /** A call `api.<path>(input)` from the sandbox. */
  start(id: number, path: string, input: unknown, provenance?: unknown): void {
    const target = this.target(path);
    if (target === undefined) {
      const suggestions = this.deps.dispatcher.suggest(path, 3);
      const hint =
        suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `api.${s}`).join(', ')}?` : '';
      this.host.reject(id, {
        name: 'TypeError',
        message: `api.${path} is not a function: no such API function.${hint}`,
        code: ErrorCode.UNKNOWN_FUNCTION,
      });
      return;
    }
    const invalid = this.invalidInput(target, input);
    if (invalid !== undefined) {
      this.host.reject(id, invalid);
      return;
    }
    this.host.counters.tools++;
    const context = this.context(target, input, provenance);
    // Without a beforeToolCall hook there is no decision to wait for: straight to the call.
    this.host.track(
      this.deps.hooks.beforeToolCall === undefined
        ? this.proceed(id, target, context, performance.now())
        : this.run(id, target, context),
    );
  }

  /** Why `input` does not match the target's input schema, before any hook, approval or handler runs. */
  private invalidInput(target: ToolTarget, input: unknown): SandboxErrorInfo | undefined {
    try {
      if (target.kind === 'api') target.fn.validateInput?.(input);
      else this.deps.validateClientToolInput?.(target.tool, input);
      return undefined;
    } catch (error) {
      return errorInfoFromHost(error, ErrorCode.VALIDATION_ERROR);
    }
  }

  /** The client's answer to a `cb_<n>_approval` raised by a beforeToolCall `approve` decision. */
  answerApproval(id: number, path: string, input: unknown, result: unknown, provenance?: unknown): void {
    const target = this.target(path);
    const approved =
      !isCallbackError(result) &&
      typeof result === 'object' &&
      result !== null &&
      (result as { approved?: unknown }).approved === true;
    const reason = isCallbackError(result) ? result.message : (result as { reason?: unknown } | null)?.reason;
    const reasonText = typeof reason === 'string' ? reason : undefined;
    const context = target === undefined ? undefined : this.context(target, input, provenance);
    this.events.approvalDecided(
      { approved, ...(reasonText ? { reason: reasonText } : {}) },
      'client',
      context?.path,
    );
    if (target === undefined || context === undefined) {
      this.host.reject(id, { message: `api.${path} is no longer available`, code: ErrorCode.TOOL_ERROR });
      return;
    }
    if (!approved) {
      this.deny(id, context, reasonText, performance.now());
      return;
    }
    this.host.track(this.proceed(id, target, context, performance.now()));
  }

  /** The client's answer to a client tool call: afterToolCall sees it before the sandbox does. */
  answerTool(id: number, path: string, input: unknown, result: unknown, provenance?: unknown): void {
    const target = this.target(path);
    if (target === undefined) {
      this.host.resolve(id, result);
      return;
    }
    const context = this.context(target, input, provenance);
    this.host.track(
      (async () => {
        const started = performance.now();
        if (!(await this.afterToolCall(context, result, started))) return;
        this.events.toolCall(context.path, 'ok', started);
        this.host.resolve(id, result);
      })(),
    );
  }

  private target(path: string): ToolTarget | undefined {
    const tool = this.clientTools.get(path);
    if (tool !== undefined) return { kind: 'client', tool };
    const fn = this.deps.dispatcher.resolve(path);
    return fn === undefined ? undefined : { kind: 'api', fn };
  }

  private context(target: ToolTarget, input: unknown, provenance?: unknown): ToolCallContext {
    // One literal per kind (no spreads: this runs for every call).
    const context: ToolCallContext =
      target.kind === 'client'
        ? {
            executionId: this.host.executionId,
            clientId: this.host.clientId,
            input,
            services: this.host.services,
            path: `client.${target.tool.name}`,
            group: target.tool.namespace ?? 'client',
            name: target.tool.name,
            metadata: target.tool.metadata ?? {},
          }
        : {
            executionId: this.host.executionId,
            clientId: this.host.clientId,
            input,
            services: this.host.services,
            path: `api.${target.fn.path}`,
            group: target.fn.group,
            name: target.fn.name,
            metadata: target.fn.metadata ?? {},
          };
    // Labels of the input computed in the sandbox by a provenance tracker (absent without one).
    if (provenance !== undefined) context.provenance = provenance;
    return context;
  }

  private async run(id: number, target: ToolTarget, context: ToolCallContext): Promise<void> {
    const started = performance.now();
    let decision: ToolCallDecision = { action: 'allow' };
    if (this.deps.hooks.beforeToolCall !== undefined) {
      try {
        decision = await this.deps.hooks.beforeToolCall(context);
      } catch (error) {
        decision = { action: 'block', reason: `the beforeToolCall hook failed: ${describe(error)}` };
      }
    }
    if (this.host.isTerminal) return;
    if (decision.action === 'block') {
      this.block(context, decision.reason, decision.policy, started);
      return;
    }
    if (decision.action === 'approve') {
      this.host.counters.approval++;
      if (this.host.services.hasApproval) {
        const callbackId = `cb_${id}_approval`;
        const payload: Record<string, unknown> = {
          message: decision.message,
          executionId: this.host.executionId,
        };
        if (decision.context !== undefined) payload.context = decision.context;
        this.host.pending.set(callbackId, {
          id: callbackId,
          type: 'approval',
          operation: 'request',
          payload,
          callId: id,
          guard: 'tool-approval',
        });
        this.events.approvalRequested(decision.message, 'client', {
          callbackId,
          path: context.path,
          ...(decision.policy ? { policy: decision.policy } : {}),
        });
        return;
      }
      if (this.deps.onApproval === undefined) {
        this.block(
          context,
          `it requires approval (${decision.message}) and neither the client nor the server can approve`,
          decision.policy,
          started,
        );
        return;
      }
      this.events.approvalRequested(decision.message, 'server', {
        path: context.path,
        ...(decision.policy ? { policy: decision.policy } : {}),
      });
      const answer = await this.serverApproval(decision.message, decision.context);
      this.events.approvalDecided(answer, 'server', context.path);
      if (this.host.isTerminal) return;
      if (!answer.approved) {
        this.deny(id, context, answer.reason, started);
        return;
      }
    }
    await this.proceed(id, target, context, started);
  }

  /** Asks the server's `onApproval`; a failing approver denies. */
  async serverApproval(message: string, context: unknown): Promise<{ approved: boolean; reason?: string }> {
    try {
      const answer = await this.deps.onApproval!({
        message,
        context,
        executionId: this.host.executionId,
        clientId: this.host.clientId,
      });
      return {
        approved: answer?.approved === true,
        ...(answer?.reason ? { reason: String(answer.reason) } : {}),
      };
    } catch (error) {
      return { approved: false, reason: `the approver failed: ${describe(error)}` };
    }
  }

  private async proceed(
    id: number,
    target: ToolTarget,
    context: ToolCallContext,
    started: number,
  ): Promise<void> {
    if (target.kind === 'client') {
      const payload = { toolName: target.tool.name, input: context.input };
      const oversized = oversizedPayload(context.path, payload, this.deps.quotas.maxCallbackPayloadBytes);
      if (oversized !== undefined) {
        this.host.reject(id, oversized);
        return;
      }
      const callbackId = `cb_${id}`;
      this.host.pending.set(callbackId, {
        id: callbackId,
        type: 'tool',
        operation: 'call',
        payload,
        callId: id,
      });
      return;
    }
    let value: unknown;
    try {
      value = await target.fn.call(context.input, {
        clientId: this.host.clientId,
        executionId: this.host.executionId,
        signal: this.host.signal,
      });
    } catch (error) {
      this.events.toolCall(context.path, 'error', started);
      this.host.reject(id, errorInfoFromHost(error));
      return;
    }
    if (this.host.isTerminal) return;
    if (this.deps.hooks.afterToolCall !== undefined && !(await this.afterToolCall(context, value, started)))
      return;
    this.events.toolCall(context.path, 'ok', started);
    this.host.resolve(id, value);
  }

  /** False when the hook rejected the result (the execution then ends as a security violation). */
  private async afterToolCall(context: ToolCallContext, value: unknown, started: number): Promise<boolean> {
    if (this.deps.hooks.afterToolCall === undefined) return true;
    try {
      await this.deps.hooks.afterToolCall(context, value);
      return true;
    } catch (error) {
      this.block(
        context,
        `the afterToolCall hook rejected the result: ${describe(error)}`,
        undefined,
        started,
      );
      return false;
    }
  }

  private block(context: ToolCallContext, reason: string, policy: string | undefined, started: number): void {
    this.events.policyViolation(context.path, reason, policy);
    this.events.toolCall(context.path, 'blocked', started);
    const by = policy ? ` (policy ${policy})` : '';
    this.host.endWith(
      ended(
        ExecutionStatus.SECURITY_VIOLATION,
        ErrorCode.SECURITY_VIOLATION,
        `The call to ${context.path} was blocked${by}: ${reason}`,
      ),
    );
  }

  private deny(id: number, context: ToolCallContext, reason: string | undefined, started: number): void {
    this.events.toolCall(context.path, 'blocked', started);
    this.host.reject(id, {
      message: `Approval for ${context.path} was denied${reason ? `: ${reason}` : ''}`,
      code: ErrorCode.APPROVAL_DENIED,
    });
  }
}
