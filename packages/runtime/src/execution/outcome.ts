import { ErrorCode, type ExecutionError, ExecutionStatus } from '@agent-tool-protocol/protocol';
import { mapStackPositions, type PositionMapper } from '../sandbox/positions.js';
import { sandboxErrorDetails } from './error-details.js';

/** How a leg of an execution ended (before it becomes an ExecutionResult). */
export type Outcome =
  | { kind: 'completed'; value: unknown; hasValue: boolean }
  | { kind: 'paused' }
  | { kind: 'ended'; status: Exclude<ExecutionStatus, 'paused' | 'completed'>; error: ExecutionError };

export function ended(
  status: Exclude<ExecutionStatus, 'paused' | 'completed'>,
  code: string,
  message: string,
  extra: Partial<ExecutionError> = {},
): Outcome {
  return { kind: 'ended', status, error: { message, code, ...extra } };
}

export const limitOutcomes = {
  timeout: (ms: number) =>
    ended(ExecutionStatus.TIMEOUT, ErrorCode.TIMEOUT, `The execution exceeded its timeout of ${ms} ms.`),
  cpu: (ms: number) =>
    ended(
      ExecutionStatus.CPU_TIME_EXCEEDED,
      ErrorCode.CPU_TIME_EXCEEDED,
      `The execution exceeded its CPU time limit of ${ms} ms.`,
    ),
  memory: (mb: number) =>
    ended(
      ExecutionStatus.MEMORY_EXCEEDED,
      ErrorCode.MEMORY_EXCEEDED,
      `The execution exceeded its memory limit of ${mb} MB.`,
    ),
  llm: (max: number) =>
    ended(
      ExecutionStatus.LLM_CALLS_EXCEEDED,
      ErrorCode.LLM_CALLS_EXCEEDED,
      `The execution made more than maxLLMCalls (${max}) LLM calls.`,
    ),
  tools: (max: number) =>
    ended(
      ExecutionStatus.TOOL_CALLS_EXCEEDED,
      ErrorCode.TOOL_CALLS_EXCEEDED,
      `The execution made more than maxToolCalls (${max}) host calls.`,
    ),
  resultTooLarge: (max: number) =>
    ended(
      ExecutionStatus.RESULT_TOO_LARGE,
      ErrorCode.RESULT_TOO_LARGE,
      `The result is larger than maxResultBytes (${max} bytes).`,
    ),
  cancelled: () => ended(ExecutionStatus.CANCELLED, ErrorCode.CANCELLED, 'The execution was cancelled.'),
};

export interface SandboxFailureInfo {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  stack?: unknown;
  fromHost?: unknown;
  details?: unknown;
  detailsTruncated?: unknown;
}

/** An uncaught error of agent code → `failed`, with only the agent's own stack frames. */
export function failureFromSandbox(info: SandboxFailureInfo, mapper?: PositionMapper): Outcome {
  const name = typeof info.name === 'string' ? info.name : 'Error';
  const message = typeof info.message === 'string' ? info.message : 'Uncaught exception';
  const code = typeof info.code === 'string' && info.code !== '' ? info.code : ErrorCode.RUNTIME_ERROR;
  const extra: Partial<ExecutionError> = {};
  if (typeof info.stack === 'string') {
    const stack = mapper === undefined ? info.stack : mapStackPositions(info.stack, mapper);
    const frames = stack.split('\n').filter((line) => /^\s+at .*agent\.ts:\d+:\d+\)?$/.test(line));
    if (frames.length > 0) {
      extra.stack = [`${name}: ${message}`, ...frames].join('\n');
      const position = /agent\.ts:(\d+):(\d+)/.exec(frames[0]!);
      if (position !== null) {
        extra.line = Number(position[1]);
        extra.column = Number(position[2]);
      }
    }
  }
  if (typeof info.status === 'number') (extra as Record<string, unknown>).status = info.status;
  const { details, truncated } = sandboxErrorDetails(info.details);
  if (details !== undefined) extra.details = details;
  if (extra.details !== undefined && (truncated || info.detailsTruncated === true))
    (extra as Record<string, unknown>).detailsTruncated = true;
  // A host error's message reads as the host wrote it (`ValidationError` is in `name`, not the message).
  const plain =
    name === 'Error' ||
    message.startsWith(`${name}:`) ||
    (info.fromHost === true && name !== 'TypeError' && name !== 'RangeError');
  const text = plain ? message : `${name}: ${message}`;
  return ended(ExecutionStatus.FAILED, code, text, extra);
}
