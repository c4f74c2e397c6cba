import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { METRIC } from './names.js';

export interface GaugeSources {
  /** The executor's numbers, or undefined before it exists. */
  executorStats(): { activeExecutions: number; hotPaused: number; pooledIsolates: number } | undefined;
}

/** Every metric the server records, created once per server. */
export interface Instruments {
  executions: Counter;
  executionDuration: Histogram;
  pauses: Counter;
  resumes: Counter;
  roundTripDuration: Histogram;
  toolCalls: Counter;
  toolCallDuration: Histogram;
  llmCalls: Counter;
  llmTokens: Counter;
  rejectedRequests: Counter;
  httpDuration: Histogram;
}

export function createInstruments(meter: Meter, sources: GaugeSources): Instruments {
  const gauge = (
    name: string,
    description: string,
    read: (stats: NonNullable<ReturnType<GaugeSources['executorStats']>>) => number,
  ) =>
    meter.createObservableGauge(name, { description }).addCallback((result) => {
      const stats = sources.executorStats();
      if (stats) result.observe(read(stats));
    });
  gauge(METRIC.executionsActive, 'Executions running in a sandbox now', (stats) => stats.activeExecutions);
  gauge(METRIC.executionsPausedHot, 'Paused executions kept hot in memory', (stats) => stats.hotPaused);
  gauge(METRIC.isolatePoolSize, 'Fresh isolates waiting in the pool', (stats) => stats.pooledIsolates);
  return {
    executions: meter.createCounter(METRIC.executions, { description: 'Executions that ended, by status' }),
    executionDuration: meter.createHistogram(METRIC.executionDuration, {
      description: 'Active (in-sandbox) time of ended executions, excluding time spent paused',
      unit: 's',
    }),
    pauses: meter.createCounter(METRIC.pauses, {
      description: 'Times executions paused for client callbacks',
    }),
    resumes: meter.createCounter(METRIC.resumes, { description: 'Resumes, by mode (hot or durable)' }),
    roundTripDuration: meter.createHistogram(METRIC.roundTripDuration, {
      description: 'Time from a pause to its resume (the client answering its callbacks)',
      unit: 's',
    }),
    toolCalls: meter.createCounter(METRIC.toolCalls, { description: 'Tool calls, by group and status' }),
    toolCallDuration: meter.createHistogram(METRIC.toolCallDuration, {
      description: 'Tool call duration, by group and status',
      unit: 's',
    }),
    llmCalls: meter.createCounter(METRIC.llmCalls, { description: 'LLM callbacks, by operation' }),
    llmTokens: meter.createCounter(METRIC.llmTokens, {
      description: 'Tokens reported by clients for their LLM callbacks, by type (input or output)',
    }),
    rejectedRequests: meter.createCounter(METRIC.rejectedRequests, {
      description: 'HTTP requests answered 401 or 429, by status code',
    }),
    httpDuration: meter.createHistogram(METRIC.httpDuration, {
      description: 'HTTP request duration, by method, route and status code',
      unit: 's',
    }),
  };
}
