import { AsyncLocalStorage } from 'node:async_hooks';
import type { APIDispatcher, CacheProvider, ExecutionResult, Logger } from '@agent-tool-protocol/protocol';
import type { ExecutionEvent } from '@agent-tool-protocol/runtime';
import type { Link, Span } from '@opentelemetry/api';
import { AccountStore } from '../accounting/account-store.js';
import {
  accountingOf,
  chargeResult,
  chargeTokens,
  type ExecutionAccount,
  type ExecutionAccounting,
  emptyAccount,
  type TokenUsage,
  usageFromResumeBody,
} from '../accounting/cost-account.js';
import { ExecutionMetrics } from './execution-metrics.js';
import { ExecutionSpans, linkToActive } from './execution-spans.js';
import { createInstruments, type GaugeSources, type Instruments } from './instruments.js';
import { ATTR } from './names.js';
import type { Telemetry } from './telemetry.js';
import { traceDispatcher } from './tool-tracing.js';
import { traceparentOf } from './w3c.js';

type ExecutionEnd = Extract<ExecutionEvent, { type: 'execution_end' }>;

/** An execution followed on this instance: from its start or resume until it ends or its span closes. */
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
    tokens: TokenUsage;
    /** The resume request's span, linked from the round trip span. */
    requestLink: Link[];
  };
  tracked?: Tracked;
}

export interface ExecutionObserverOptions {
  telemetry: Telemetry;
  cache: CacheProvider;
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
 * Follows each execution across its legs (the execute call and every resume, on any instance) and
 * tells the parts that need it: its spans (ExecutionSpans), its metrics (ExecutionMetrics) and its
 * cost account (accounting/). The engine wraps execute and resume calls with it.
 */
export class ExecutionObserver {
  readonly telemetry: Telemetry;
  readonly instruments: Instruments;
  private readonly spans: ExecutionSpans;
  private readonly metrics: ExecutionMetrics;
  private readonly legs = new AsyncLocalStorage<Leg>();
  private readonly live = new Map<string, Tracked>();
  private readonly accounts: AccountStore;
  private dispatcher: APIDispatcher | undefined;

  constructor(private readonly options: ExecutionObserverOptions) {
    this.telemetry = options.telemetry;
    this.instruments = createInstruments(this.telemetry.meter, options.gauges);
    this.spans = new ExecutionSpans(this.telemetry.tracer);
    this.metrics = new ExecutionMetrics(this.instruments, (path) => this.groupOf(path));
    this.accounts = new AccountStore(options.cache, options.pausedTTLSeconds);
  }

  get tracer() {
    return this.telemetry.tracer;
  }

  /** Runs an execute call inside its execution span. */
  async traceExecute(clientId: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    return this.runLeg({ clientId, span: this.spans.startExecution(clientId), account: emptyAccount() }, run);
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
    const span = this.spans.continueExecution(clientId, executionId, saved?.traceparent);
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

  /** Records a runtime lifecycle event as metrics and span data. */
  onEvent(event: ExecutionEvent): void {
    this.metrics.record(event);
    switch (event.type) {
      case 'execution_start':
        this.bindStart(event.executionId, event.clientId);
        return;
      case 'execution_resume':
        this.bindResume(event.executionId, event.mode);
        return;
      case 'tool_call': {
        const tracked = this.live.get(event.executionId);
        if (tracked && event.status === 'blocked' && !event.replayed)
          this.spans.toolCallBlocked(tracked.span, event.path);
        return;
      }
      case 'policy_violation': {
        const tracked = this.live.get(event.executionId);
        if (tracked) this.spans.policyViolation(tracked.span, event.path, event.policy);
        return;
      }
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
  instrumentDispatcher(dispatcher: APIDispatcher): APIDispatcher {
    this.dispatcher = dispatcher;
    return traceDispatcher(dispatcher, this.tracer);
  }

  /** Closes open spans of paused executions and flushes and stops the telemetry. */
  async shutdown(): Promise<void> {
    for (const tracked of this.live.values()) this.closePaused(tracked, 'shutdown');
    this.live.clear();
    await this.telemetry.shutdown();
  }

  async flush(): Promise<void> {
    await this.telemetry.flush();
  }

  // ---- legs ------------------------------------------------------------------------------------------

  private async runLeg(leg: Leg, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    let result: ExecutionResult;
    try {
      result = await this.legs.run(leg, () => this.spans.within(leg.span, run));
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
    chargeResult(account, result);
    if (result.status !== 'paused') {
      this.finish(tracked, result.status, result.stats);
      return result;
    }
    account.pauses++;
    account.pausedAt = Date.now();
    account.traceparent = traceparentOf(tracked.span);
    const callbacks = result.needsCallbacks ?? (result.needsCallback ? [result.needsCallback] : []);
    tracked.roundTrip = this.spans.startRoundTrip(tracked.span, tracked.executionId, callbacks);
    this.keepPaused(tracked);
    await this.accounts.save(tracked.executionId, account).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error, executionId: tracked.executionId },
        'could not save the execution account',
      );
    });
    return result;
  }

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
    chargeTokens(tracked.account, leg.resume.tokens);
    this.metrics.tokens(leg.resume.tokens);
    const pausedAt = tracked.account.pausedAt;
    this.spans.endRoundTrip(
      tracked.span,
      executionId,
      tracked.roundTrip,
      pausedAt,
      mode,
      leg.resume.requestLink,
    );
    tracked.roundTrip = undefined;
    if (pausedAt !== undefined) this.metrics.roundTrip(pausedAt, mode);
  }

  // ---- ending ----------------------------------------------------------------------------------------

  private finish(tracked: Tracked, status: string, stats?: ExecutionResult['stats']): void {
    this.live.delete(tracked.executionId);
    clearTimeout(tracked.abandonTimer);
    tracked.roundTrip?.end();
    const account = tracked.account;
    this.spans.finish(tracked.span, tracked.executionId, status, account, stats);
    if (account.pauses > 0) this.accounts.delete(tracked.executionId).catch(() => undefined);
    const write = tracked.onAccounted;
    tracked.onAccounted = undefined;
    write?.(accountingOf(account, stats));
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

  private closePaused(tracked: Tracked, reason: string): void {
    clearTimeout(tracked.abandonTimer);
    this.spans.closePaused(tracked.span, tracked.roundTrip, reason, tracked.account.pauses);
    tracked.roundTrip = undefined;
  }

  private groupOf(path: string): string {
    if (path.startsWith('api.')) return this.dispatcher?.resolve(path.slice(4))?.group ?? 'unknown';
    return path.split('.')[0] ?? 'unknown';
  }
}
