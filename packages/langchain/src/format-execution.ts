import type { ExecutionResult, ExecutionStatus } from '@agent-tool-protocol/protocol';
import { withToolPrefix } from './tool-names.js';
import { compactJSON, truncate } from './truncate.js';

export interface FormatExecutionOptions {
  maxResultChars: number;
  maxLogLines: number;
  /** The tool-name prefix the advice should use (default `atp_`). */
  namePrefix?: string;
}

// What a model should do next after each status; said in the answer so it can correct itself.
const NEXT_STEP: Partial<Record<ExecutionStatus, string>> = {
  failed:
    'Fix the code and run it again; check function names and inputs with atp_search_api or atp_explore_api.',
  parse_error:
    'The code did not parse: fix the syntax (it is the body of an async function) and run it again.',
  validation_failed: 'An API input did not match its schema: check it with atp_explore_api and run again.',
  timeout:
    'The code ran out of time: make fewer calls, run independent calls with Promise.all, or split the work.',
  cpu_time_exceeded: 'The code used too much CPU: avoid large loops, let the APIs filter, or split the work.',
  memory_exceeded: 'The code used too much memory: fetch less data and keep only the fields you need.',
  result_too_large: 'The returned value is too large: return only the fields and rows you need.',
  llm_calls_exceeded: 'Too many atp.llm calls in one execution: batch the work or use fewer calls.',
  tool_calls_exceeded: 'Too many API calls in one execution: filter on the server side or split the work.',
  security_violation:
    'A security policy blocked this action. Do not retry it; tell the user what was blocked.',
  rate_limited: 'The server is busy: wait a moment before running code again.',
  cancelled: 'The execution was cancelled; run it again only if the user still wants it.',
  loop_detected: 'The code repeated the same calls in a loop: change the approach.',
  network_error: 'An API could not be reached: try again later or use another API.',
  paused: 'The execution is waiting for an answer the client did not give (an approval or another callback).',
};

function statsLine(result: ExecutionResult): string {
  const { stats } = result;
  const parts = [`${stats.toolCallsCount ?? 0} API calls`];
  if (stats.llmCallsCount) parts.push(`${stats.llmCallsCount} LLM calls`);
  if (stats.approvalCallsCount) parts.push(`${stats.approvalCallsCount} approvals`);
  return parts.join(', ');
}

function logLines(result: ExecutionResult, max: number): string[] {
  const logs = result.logs ?? [];
  if (max === 0 || logs.length === 0) return [];
  const shown = logs.slice(-max).map((entry) => {
    const data = entry.data === undefined ? '' : ` ${truncate(compactJSON(entry.data), 300, 'log data cut')}`;
    return `  [${entry.level}] ${entry.message}${data}`;
  });
  const skipped = logs.length - shown.length;
  return ['logs:', ...(skipped > 0 ? [`  (${skipped} earlier lines left out)`] : []), ...shown];
}

/** One compact answer per execution, sized for a model's context, that names the status first. */
export function formatExecutionResult(result: ExecutionResult, options: FormatExecutionOptions): string {
  const lines = [`status: ${result.status} (${statsLine(result)})`];
  if (result.status === 'completed') {
    const value =
      result.result === undefined
        ? 'undefined (the code returned nothing: end it with `return <value>`)'
        : compactJSON(result.result);
    lines.push(`result: ${value}`);
  } else {
    if (result.error) {
      const where = result.error.line === undefined ? '' : ` at line ${result.error.line}`;
      lines.push(`error (${result.error.code}${where}): ${result.error.message}`);
      if (result.error.suggestion) lines.push(`suggestion: ${result.error.suggestion}`);
    }
    if (result.status === 'paused') {
      const waiting = [
        ...(result.needsCallbacks ?? []),
        ...(result.needsCallback ? [result.needsCallback] : []),
      ];
      const kinds = waiting.map((callback) => `${callback.type}.${callback.operation}`).join(', ');
      lines.push(`execution ${result.executionId} is paused${kinds ? `, waiting for ${kinds}` : ''}.`);
    }
    const next = NEXT_STEP[result.status];
    if (next) lines.push(`next: ${withToolPrefix(next, options.namePrefix)}`);
  }
  lines.push(...logLines(result, options.maxLogLines));
  return truncate(
    lines.join('\n'),
    options.maxResultChars,
    'Return less: filter, aggregate or slice inside the code and return only what you need.',
  );
}
