// What the side-by-side benchmark measures: each a piece of agent code, run through the published ATP
// 0.19 client against each server, and the result it must return (checked on every run, on both servers).

export interface Measure {
  id: string;
  label: string;
  code: string;
  /** Whether a completed execution's result is the right one. */
  accepts(result: unknown): boolean;
  /** Executions started at once per sample (one client each); 1 for a single execution. */
  concurrency?: number;
  /** Wait between samples (ms), as an agent does between executions; 0 is back-to-back. */
  idleMs: number;
  /**
   * What the floor server (floor-server.ts) answers to this code without running it; a measure without
   * one is not measured against the floor (the callbacks need a pause and a resume).
   */
  floorResult?: unknown;
  /** How long the floor server waits before it answers (the tool's time), in ms. */
  floorWaitMs?: number;
}

/** A short pause between executions, so the default rows are not a saturation test; `…back-to-back` is. */
export const IDLE_MS = 5;
export const SLOW_TOOL_MS = 100;

export function measures(concurrency: number): Measure[] {
  return [
    {
      id: 'trivial',
      label: 'trivial execution',
      code: 'return 1',
      accepts: (r) => r === 1,
      idleMs: IDLE_MS,
      floorResult: 1,
    },
    {
      id: 'oneCall',
      label: 'one API call',
      code: 'return await api.bench.echo({ n: 1 })',
      accepts: (r) => (r as { n?: number } | null)?.n === 1,
      idleMs: IDLE_MS,
      floorResult: { n: 1 },
    },
    {
      id: 'tenSequential',
      label: 'ten sequential API calls',
      code: 'let sum = 0;\nfor (let i = 0; i < 10; i++) sum += (await api.bench.echo({ n: i })).n;\nreturn sum;',
      accepts: (r) => r === 45,
      idleMs: IDLE_MS,
      floorResult: 45,
    },
    {
      id: 'tenCallbacks',
      label: 'ten LLM callbacks answered at once',
      code: "return await Promise.all(Array.from({ length: 10 }, (_, i) => atp.llm.call({ prompt: 'q' + i })));",
      accepts: (r) =>
        Array.isArray(r) && r.length === 10 && r.every((answer, i) => answer === `answer to q${i}`),
      idleMs: IDLE_MS,
    },
    {
      id: 'concurrent',
      label: `${concurrency} concurrent executions of a ${SLOW_TOOL_MS} ms tool`,
      code: `return await api.bench.sleep({ ms: ${SLOW_TOOL_MS} })`,
      accepts: (r) => (r as { slept?: number } | null)?.slept === SLOW_TOOL_MS,
      concurrency,
      idleMs: IDLE_MS,
      floorResult: { slept: SLOW_TOOL_MS },
      floorWaitMs: SLOW_TOOL_MS,
    },
    {
      id: 'trivialBackToBack',
      label: 'trivial execution, back-to-back (no idle)',
      code: 'return 1',
      accepts: (r) => r === 1,
      idleMs: 0,
      floorResult: 1,
    },
  ];
}

/** What the orchestrator asks of the client process. */
export interface ClientJob {
  /** `measures`: the ids this target is measured on (default: all). */
  targets: Array<{ name: string; url: string; measures?: string[] }>;
  /** Rounds per measure; each round takes `perRound` samples from every target, alternating the order. */
  rounds: number;
  perRound: number;
  /** Samples per round for the concurrent measure (each is one batch). */
  perRoundConcurrent: number;
  /** Unmeasured runs per measure and target before the rounds. */
  warmup: number;
  /** Unmeasured batches before the concurrent measure's rounds. */
  warmupConcurrent: number;
  concurrency: number;
}

/** Samples in ms, by target name, then by measure id. */
export type ClientSamples = Record<string, Record<string, number[]>>;
