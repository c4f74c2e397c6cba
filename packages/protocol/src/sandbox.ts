/**
 * The seam between the runtime's host side and the JavaScript that runs inside each sandbox (the
 * runtime's bootstrap and a provenance prelude). Everything that crosses it is JSON text; these are
 * the names and shapes both sides agree on.
 */

/** Globals the bootstrap defines for code that runs before agent code; both are removed when it starts. */
export const SANDBOX_GLOBALS = {
  /**
   * Installs a provenance tracker (`ProvenanceTracker`). A transformCode prelude calls it once, as its
   * first statement; a second call throws.
   */
  provenance: '__atp_provenance',
  /** The compiled agent script hands its function to the bootstrap through this (once). */
  start: '__atp_start',
} as const;

/** Identifiers starting with this are reserved for the runtime and preludes; agent code may not use them. */
export const RESERVED_IDENTIFIER_PREFIX = '__atp_';

/** Host operations a sandbox call names. */
export const SANDBOX_OPS = [
  'api',
  'timer',
  'cache.get',
  'cache.set',
  'cache.delete',
  'llm.call',
  'llm.extract',
  'llm.classify',
  'approval.request',
  'embedding.embed',
  'embedding.search',
] as const;
export type SandboxOp = (typeof SANDBOX_OPS)[number];

export type SandboxLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** How the agent's function ended, in a `done` message. */
export const SandboxDone = {
  /** It threw (or returned a rejected promise): a `SandboxFailure` follows. */
  FAILED: 0,
  /** It returned: the value follows (absent when it returned undefined). */
  COMPLETED: 1,
  /** It returned a value that cannot leave the sandbox: `{code, message}` follows. */
  UNSERIALIZABLE: 2,
} as const;
export type SandboxDone = (typeof SandboxDone)[keyof typeof SandboxDone];

/** An error the agent's function ended with, as the sandbox describes it. */
export interface SandboxFailure {
  name: string;
  message: string;
  code?: string;
  status?: number;
  stack?: string;
  /** The error came from the host (a failed call): its message is reported as the host wrote it. */
  fromHost?: boolean;
  /** The error's `details` when they are plain JSON (the host shortens and redacts them). */
  details?: unknown;
  /** The details were already shortened (a host error's, when they entered the sandbox). */
  detailsTruncated?: boolean;
}

/**
 * One message in the sandbox's outbox. The outbox is a JSON array of these; the sandbox hands it to the
 * host through its channel whenever the agent can do nothing more for now, and the host validates each
 * message.
 */
export type OutboxMessage =
  /** An `api.*` / `atp.*` call or a timer; `args` is a plain JSON object. */
  | ['call', id: number, op: SandboxOp, args: Record<string, unknown>]
  /** A timer (a `call` with op `timer`) was cleared. */
  | ['cancel', id: number]
  | ['log', level: SandboxLogLevel, message: string, data: unknown]
  | ['progress', message: string, fraction: number | null, data: unknown]
  | ['done', kind: typeof SandboxDone.COMPLETED, value?: unknown]
  | ['done', kind: typeof SandboxDone.UNSERIALIZABLE, problem: { code: string; message: string }]
  | ['done', kind: typeof SandboxDone.FAILED, failure: SandboxFailure]
  /** The sandbox saw a limit certainly exceeded (a native operation that would overrun it uninterrupted). */
  | ['limit', kind: 'memory'];

/**
 * What the sandbox turns into an `Error` when a call fails. `name` picks `TypeError`/`RangeError`;
 * any other name (`ValidationError`, `GraphQLCallError`) is set on an `Error`. `details` is plain JSON,
 * redacted and size-capped by the host; its `issues`, `errors` and `data` are also set on the error.
 */
export interface SandboxErrorInfo {
  name?: string;
  message: string;
  code: string;
  status?: number;
  details?: unknown;
  /** Set when `details` was too large and was shortened (or left out). */
  detailsTruncated?: boolean;
}

/**
 * One result the host delivers into the sandbox, in a JSON array of them: `[id, 1, value?]` resolves
 * call `id` (no value: `undefined`), `[id, 0, error]` rejects it.
 */
export type DeliveredResult =
  | [id: number, ok: 1, value?: unknown]
  | [id: number, ok: 0, error: SandboxErrorInfo];

/**
 * The host's answer when the sandbox hands over its outbox: results ready now, with the sandbox clock
 * from then on, as JSON; or '' when none are ready (the sandbox then idles until the host delivers).
 */
export type SandboxDelivery = [clock: number, results: DeliveredResult[]];

/** The per-execution configuration the host sends before agent code runs. */
export interface SandboxSetup {
  /** The seed of `Math.random` (four 32-bit integers). */
  seed: number[];
  maxResultBytes: number;
  /** The isolate's heap limit, in bytes. */
  maxMemoryBytes: number;
  /** The sandbox clock (`Date.now()`) until the next delivery. */
  clock: number;
}

/** A labelled leaf of a call's input: its path, the sources of its value, `1` when the label is the key's. */
export type SandboxLabelLeaf = [path: (string | number)[], sources: string[], isKey?: 1];

/** Provenance labels a tracker attaches to an `api.*` call (`ToolCallContext.provenance`). */
export interface SandboxLabels {
  v: 1;
  leaves: SandboxLabelLeaf[];
}

/** What a tracker answers for one host call. */
export interface TrackedCall {
  /** Sent with an `api.*` call (and journalled with it). */
  labels?: SandboxLabels;
  /** Sees the call's result (or error, `failed`) before the agent does; returns what the agent gets. */
  incoming?(value: unknown, failed: boolean): unknown;
}

/**
 * The provenance seam: `globalThis.__atp_provenance(tracker)`. For every host call the bootstrap asks
 * `outgoing` (on a plain JSON copy of the call's arguments) for labels and a result hook.
 */
export interface ProvenanceTracker {
  outgoing(op: SandboxOp, args: Record<string, unknown>): TrackedCall;
}
