import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiDispatcher, CacheProvider, ExecutionResult } from '@agent-tool-protocol/protocol';
import type { ExecutionEvent } from '@agent-tool-protocol/runtime';
import { type Context, context, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import {
  AccountStore,
  type ExecutionAccount,
  emptyAccount,
  jsonBytes,
  usageFromResumeBody,
} from './accounting.js';
import { createInstruments, type GaugeSources, type Instruments } from './instruments.js';
import { ATTR, SPAN } from './names.js';
import { type OtelOptions, startTelemetry, type Telemetry } from './telemetry.js';
import { traceDispatcher } from './tool-tracing.js';
import { extractTraceContext, traceparentOf } from './w3c.js';

type ExecutionEnd = Extract<ExecutionEvent, { type: 'execution_end' }>;

/** What the audit record of an ended execution adds: the same numbers as the result's `stats`. */
export interface ExecutionAccounting {
  toolCallsCount?: number;
  llmCallsCount?: number;
  inputTokens: number;
  outputTokens: number;
  bytesReturned: number;
  pauses: number;
}

interface Tracked {
  executionId: string;
  clientId: string;
  span: Span;
  account: ExecutionAccount;
  /** True while an execute or resume call runs it. */
  inLeg: boolean;
  roundTrip?: Span;
  abandonTimer?: NodeJS.Timeout;
  onAccounted?: (accounting: ExecutionAccounting) => void;
}

/** One execute or resume call in progress (found through async context by the runtime's events). */
interface Leg {
  clientId: string;
  span: Span;
  account: ExecutionAccount;
  /** Resume legs: the execution they resume, and what its client reported. */
  resume?: {
    executionId: string;
    known?: Tracked;
    tokens: { inputTokens: number; outputTokens: number };
    /** The resume request's span, linked from the round trip span. */
    requestLink: ReturnType<typeof linkToActive>;
  };
  tracked?: Tracked;
}

export interface ExecutionObserverOptions {
  otel: OtelOptions;
  serviceVersion: string;
  cache: () => CacheProvider;
  /** How long accounts of paused executions live, in seconds. */
  pausedTTLSeconds: number;
  /** Paused executions whose span is still open after this long get it closed (the state stays resumable). */
  maxPauseSeconds: number;
  gauges: GaugeSources;
  logger: Logger;
}

/** Most paused executions whose spans stay open in memory; older ones are closed (still resumable). */
const MAX_OPEN_PAUSED = 10_000;

/**
 * Traces and measures executions from the runtime's lifecycle events, and keeps their cost account
 * (tokens, bytes returned) across pauses. The engine wraps execute/resume calls with it.
 */
export class ExecutionObserver {
  readonly telemetry: Telemetry;
  readonly instruments: Instruments;
  private readonly legs = new AsyncLocalStorage<Leg>();
  private readonly live = new Map<string, Tracked>();
  private readonly accounts: AccountStore;
  private dispatcher: ApiDispatcher | undefined;

  constructor(private readonly options: ExecutionObserverOptions) {
    this.telemetry = startTelemetry(options.otel, options.serviceVersion);
    this.instruments = createInstruments(this.telemetry.meter, options.gauges);
    this.accounts = new AccountStore(options.cache, options.pausedTTLSeconds);
  }

  get tracer() {
    return this.telemetry.tracer;
  }

  /** Runs an execute call inside its execution span. */
  async traceExecute(clientId: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    const span = this.tracer.startSpan(SPAN.execution, { attributes: { [ATTR.clientId]: clientId } });
    return this.runLeg({ clientId, span, account: emptyAccount() }, run);
  }

  /**
   * Runs a resume call inside the execution's span: the open one when it paused on this instance, else
   * a continuation span in the same trace (its `traceparent` was kept with the account).
   */
  async traceResume(
    clientId: string,
    executionId: string,
    body: unknown,
    run: () => Promise<ExecutionResult>,
  ): Promise<ExecutionResult> {
    const tokens = usageFromResumeBody(body);
    const known = this.live.get(executionId);
    if (known && known.clientId === clientId) {
      return this.runLeg(
        {
          clientId,
          span: known.span,
          account: known.account,
          resume: { executionId, known, tokens, requestLink: linkToActive() },
        },
        run,
      );
    }
    const saved = await this.accounts.load(executionId).catch(() => undefined);
    const parent = saved?.traceparent
      ? extractTraceContext({ traceparent: saved.traceparent })
      : context.active();
    const span = this.tracer.startSpan(
      SPAN.execution,
      {
        attributes: { [ATTR.clientId]: clientId, [ATTR.executionId]: executionId, [ATTR.continued]: true },
        links: linkToActive(),
      },
      parent,
    );
    return this.runLeg(
      {
        clientId,
        span,
        account: saved ?? emptyAccount(),
        resume: { executionId, tokens, requestLink: linkToActive() },
      },
      run,
    );
  }

  private async runLeg(leg: Leg, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    let result: ExecutionResult;
    try {
      result = await this.legs.run(leg, () => context.with(trace.setSpan(context.active(), leg.span), run));
    } catch (error) {
      const tracked = leg.tracked;
      if (tracked) {
        tracked.inLeg = false;
        tracked.span.recordException(error as Error);
        this.finish(tracked, 'failed');
      }
      throw error;
    }
    return this.finishLeg(leg, result);
  }

  private async finishLeg(leg: Leg, result: ExecutionResult): Promise<ExecutionResult> {
    const tracked = leg.tracked;
    if (!tracked) return result;
    tracked.inLeg = false;
    const account = tracked.account;
    account.bytesReturned += jsonBytes(result);
    Object.assign(result.stats, {
      inputTokens: account.inputTokens,
      outputTokens: account.outputTokens,
      bytesReturned: account.bytesReturned,
    });
    if (result.status !== 'paused') {
      this.finish(tracked, result.status, result.stats);
      return result;
    }
    account.pauses++;
    account.pausedAt = Date.now();
    account.traceparent = traceparentOf(tracked.span);
    const callbacks = result.needsCallbacks ?? (result.needsCallback ? [result.needsCallback] : []);
    tracked.roundTrip = this.tracer.startSpan(
      SPAN.callbackRoundTrip,
      {
        attributes: {
          [ATTR.executionId]: tracked.executionId,
          [ATTR.callbackCount]: callbacks.length,
          [ATTR.callbackTypes]: [
            ...new Set(callbacks.map((callback) => `${callback.type}.${callback.operation}`)),
          ],
        },
      },
      trace.setSpan(ROOT_CONTEXT, tracked.span),
    );
    this.keepPaused(tracked);
    await this.accounts.save(tracked.executionId, account).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error, executionId: tracked.executionId },
        'could not save the execution account',
      );
    });
    return result;
  }

  /** Records a runtime lifecycle event as metrics and span data. */
  onEvent(event: ExecutionEvent): void {
    const i = this.instruments;
    switch (event.type) {
      case 'execution_start':
        this.bindStart(event.executionId, event.clientId);
        return;
      case 'execution_resume':
        i.resumes.add(1, { [ATTR.resumeMode]: event.mode });
        this.bindResume(event.executionId, event.mode);
        return;
      case 'execution_pause':
        i.pauses.add(1);
        return;
      case 'execution_end':
        i.executions.add(1, { [ATTR.status]: event.status });
        i.executionDuration.record(event.durationMs / 1000, { [ATTR.status]: event.status });
        return;
      case 'tool_call': {
        if (event.replayed) return;
        const attributes = { [ATTR.toolGroup]: this.groupOf(event.path), [ATTR.toolStatus]: event.status };
        i.toolCalls.add(1, attributes);
        i.toolCallDuration.record(event.durationMs / 1000, attributes);
        if (event.status === 'blocked') {
          this.live
            .get(event.executionId)
            ?.span.addEvent('atp.tool_call.blocked', { [ATTR.toolPath]: event.path });
        }
        return;
      }
      case 'llm_call':
        i.llmCalls.add(1, { 'atp.llm.operation': event.operation });
        return;
      case 'policy_violation':
        this.live.get(event.executionId)?.span.addEvent('atp.policy_violation', {
          [ATTR.toolPath]: event.path,
          ...(event.policy ? { 'atp.policy': event.policy } : {}),
        });
        return;
      default:
        return;
    }
  }

  /**
   * Calls `write` with the execution's accounting once it is known: when its execute/resume call
   * returns, or at once for an execution ended outside one (a paused execution cancelled).
   */
  whenAccounted(event: ExecutionEnd, write: (accounting: ExecutionAccounting | undefined) => void): void {
    const tracked = this.live.get(event.executionId);
    if (!tracked) {
      write(undefined);
      return;
    }
    tracked.onAccounted = write;
    if (!tracked.inLeg) this.finish(tracked, event.status);
  }

  /** The dispatcher the runtime uses: every API function call runs in an `atp.tool_call` span. */
  instrumentDispatcher(dispatcher: ApiDispatcher): ApiDispatcher {
    this.dispatcher = dispatcher;
    return traceDispatcher(dispatcher, this.tracer);
  }

  /** Closes open spans of paused executions and flushes and stops the exporters. */
  async shutdown(): Promise<void> {
    for (const tracked of this.live.values()) this.closePaused(tracked, 'shutdown');
    this.live.clear();
    await this.telemetry.shutdown();
  }

  async flush(): Promise<void> {
    await this.telemetry.flush();
  }

  // ---- binding events to legs ----------------------------------------------------------------------

  private bindStart(executionId: string, clientId: string): void {
    const leg = this.legs.getStore();
    if (!leg || leg.tracked || leg.resume) return;
    leg.span.setAttribute(ATTR.executionId, executionId);
    const tracked: Tracked = { executionId, clientId, span: leg.span, account: leg.account, inLeg: true };
    leg.tracked = tracked;
    this.live.set(executionId, tracked);
  }

  private bindResume(executionId: string, mode: 'hot' | 'durable'): void {
    const leg = this.legs.getStore();
    if (!leg?.resume || leg.resume.executionId !== executionId || leg.tracked) return;
    const tracked: Tracked = leg.resume.known ?? {
      executionId,
      clientId: leg.clientId,
      span: leg.span,
      account: leg.account,
      inLeg: true,
    };
    tracked.inLeg = true;
    clearTimeout(tracked.abandonTimer);
    leg.tracked = tracked;
    this.live.delete(executionId);
    this.live.set(executionId, tracked);
    const { tokens } = leg.resume;
    tracked.account.inputTokens += tokens.inputTokens;
    tracked.account.outputTokens += tokens.outputTokens;
    if (tokens.inputTokens > 0)
      this.instruments.llmTokens.add(tokens.inputTokens, { [ATTR.tokenType]: 'input' });
    if (tokens.outputTokens > 0)
      this.instruments.llmTokens.add(tokens.outputTokens, { [ATTR.tokenType]: 'output' });
    const pausedAt = tracked.account.pausedAt;
    const roundTrip =
      tracked.roundTrip ??
      (pausedAt === undefined
        ? undefined
        : this.tracer.startSpan(
            SPAN.callbackRoundTrip,
            { startTime: pausedAt, attributes: { [ATTR.executionId]: executionId } },
            trace.setSpan(ROOT_CONTEXT, tracked.span),
          ));
    tracked.roundTrip = undefined;
    if (roundTrip) {
      if (leg.resume.requestLink.length > 0) roundTrip.addLinks(leg.resume.requestLink);
      roundTrip.setAttribute(ATTR.resumeMode, mode);
      roundTrip.end();
    }
    if (pausedAt !== undefined) {
      this.instruments.roundTripDuration.record(Math.max(0, Date.now() - pausedAt) / 1000, {
        [ATTR.resumeMode]: mode,
      });
    }
  }

  // ---- ending ----------------------------------------------------------------------------------------

  private finish(tracked: Tracked, status: string, stats?: ExecutionResult['stats']): void {
    this.live.delete(tracked.executionId);
    clearTimeout(tracked.abandonTimer);
    tracked.roundTrip?.end();
    const account = tracked.account;
    const accounting: ExecutionAccounting = {
      ...(stats?.toolCallsCount === undefined ? {} : { toolCallsCount: stats.toolCallsCount }),
      ...(stats?.llmCallsCount === undefined ? {} : { llmCallsCount: stats.llmCallsCount }),
      inputTokens: account.inputTokens,
      outputTokens: account.outputTokens,
      bytesReturned: account.bytesReturned,
      pauses: account.pauses,
    };
    const span = tracked.span;
    span.setAttributes({
      [ATTR.executionId]: tracked.executionId,
      [ATTR.status]: status,
      [ATTR.pauses]: account.pauses,
      [ATTR.inputTokens]: account.inputTokens,
      [ATTR.outputTokens]: account.outputTokens,
      [ATTR.bytesReturned]: account.bytesReturned,
      ...(stats
        ? {
            [ATTR.durationMs]: stats.duration,
            [ATTR.toolCalls]: stats.toolCallsCount ?? 0,
            [ATTR.llmCalls]: stats.llmCallsCount,
            [ATTR.approvalCalls]: stats.approvalCallsCount,
          }
        : {}),
    });
    if (status === 'completed') span.setStatus({ code: SpanStatusCode.OK });
    else span.setStatus({ code: SpanStatusCode.ERROR, message: status });
    span.end();
    if (account.pauses > 0) this.accounts.delete(tracked.executionId).catch(() => undefined);
    const write = tracked.onAccounted;
    tracked.onAccounted = undefined;
    write?.(accounting);
  }

  private keepPaused(tracked: Tracked): void {
    clearTimeout(tracked.abandonTimer);
    tracked.abandonTimer = setTimeout(() => {
      this.live.delete(tracked.executionId);
      this.closePaused(tracked, 'pause_expired');
    }, this.options.maxPauseSeconds * 1000);
    tracked.abandonTimer.unref();
    while (this.live.size > MAX_OPEN_PAUSED) {
      const oldest = this.live.values().next().value as Tracked;
      if (oldest.inLeg) break;
      this.live.delete(oldest.executionId);
      this.closePaused(oldest, 'evicted');
    }
  }

  /** Ends the spans of an execution still paused; a later resume continues it in a new span. */
  private closePaused(tracked: Tracked, reason: string): void {
    clearTimeout(tracked.abandonTimer);
    tracked.roundTrip?.setAttribute('atp.callback.unanswered', reason);
    tracked.roundTrip?.end();
    tracked.roundTrip = undefined;
    tracked.span.setAttributes({
      [ATTR.status]: 'paused',
      [ATTR.pauses]: tracked.account.pauses,
      'atp.execution.span_closed': reason,
    });
    tracked.span.end();
  }

  private groupOf(path: string): string {
    if (path.startsWith('api.')) return this.dispatcher?.resolve(path.slice(4))?.group ?? 'unknown';
    return path.split('.')[0] ?? 'unknown';
  }
}

/** A link to the span active now (the HTTP request), if there is a real one. */
function linkToActive(active: Context = context.active()) {
  const spanContext = trace.getSpan(active)?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}
