import type { SandboxFailure, SandboxLogLevel } from '@agent-tool-protocol/protocol';

/** One outbox message after validation (`OutboxMessage` of the protocol package, checked). */
export type DecodedMessage =
  | { type: 'call'; id: number; op: string; args: Record<string, unknown> }
  | { type: 'cancel'; id: number }
  | { type: 'log'; level: SandboxLogLevel; message: unknown; data: unknown }
  | { type: 'progress'; message: unknown; fraction: unknown; data: unknown }
  | { type: 'done'; kind: 'completed'; value: unknown; hasValue: boolean }
  | { type: 'done'; kind: 'unserializable'; code: unknown; message: unknown }
  | { type: 'done'; kind: 'failed'; failure: Partial<Record<keyof SandboxFailure, unknown>> }
  /** The sandbox broke the protocol; nothing after it is decoded. */
  | { type: 'violation'; what: string };

const LOG_LEVELS: ReadonlySet<unknown> = new Set(['debug', 'info', 'warn', 'error']);

/**
 * Decodes the outbox text the sandbox hands over after an entry. Agent code can confuse the bootstrap
 * (it runs in the same isolate), so every message is checked; a malformed one ends the list with a
 * `violation`. Messages that are merely useless (a log with an unknown level, a cancel of a non-id)
 * are dropped.
 */
export function decodeOutbox(text: string): DecodedMessage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) return [{ type: 'violation', what: 'the outbox is not a JSON array' }];
  const decoded: DecodedMessage[] = [];
  for (const message of parsed) {
    const item = decodeMessage(message);
    if (item === undefined) continue;
    decoded.push(item);
    if (item.type === 'violation') break;
  }
  return decoded;
}

function decodeMessage(message: unknown): DecodedMessage | undefined {
  if (!Array.isArray(message)) return { type: 'violation', what: 'an outbox message is not an array' };
  switch (message[0]) {
    case 'call': {
      const [, id, op, args] = message;
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof op !== 'string') {
        return { type: 'violation', what: 'a malformed call' };
      }
      const record =
        typeof args === 'object' && args !== null && !Array.isArray(args)
          ? (args as Record<string, unknown>)
          : {};
      return { type: 'call', id, op, args: record };
    }
    case 'cancel':
      return typeof message[1] === 'number' ? { type: 'cancel', id: message[1] } : undefined;
    case 'log':
      return LOG_LEVELS.has(message[1])
        ? { type: 'log', level: message[1] as SandboxLogLevel, message: message[2], data: message[3] }
        : undefined;
    case 'progress':
      return { type: 'progress', message: message[1], fraction: message[2], data: message[3] };
    case 'done':
      return decodeDone(message);
    default:
      return { type: 'violation', what: `unknown message ${JSON.stringify(message[0])}` };
  }
}

function decodeDone(message: unknown[]): DecodedMessage {
  const [, kind, value] = message;
  if (kind === 1) return { type: 'done', kind: 'completed', value, hasValue: message.length > 2 };
  if (kind === 2) {
    const info = (value ?? {}) as { code?: unknown; message?: unknown };
    return { type: 'done', kind: 'unserializable', code: info.code, message: info.message };
  }
  return {
    type: 'done',
    kind: 'failed',
    failure: (value ?? {}) as Partial<Record<keyof SandboxFailure, unknown>>,
  };
}
