// Ranking metrics of a discovery run: for each task, the 1-based rank of the first acceptable
// operation in the returned page (null when none of the first `depth` results is acceptable).

export interface TaskOutcome {
  /** 1-based rank of the first acceptable result, or null when it is not in the page. */
  rank: number | null;
  /** Tokens of the JSON response (gpt-tokenizer, o200k_base). */
  tokens: number;
}

export interface Metrics {
  tasks: number;
  recallAt1: number;
  recallAt5: number;
  recallAt10: number;
  /** Mean reciprocal rank of the first acceptable result; 0 for a task with none in the top 10. */
  mrr: number;
  /** Mean tokens of the response (a 10-result page). */
  meanTokens: number;
}

/** 1-based rank of the first id in `returned` (in order) that is in `acceptable`, within `depth`. */
export function firstRank(
  returned: readonly string[],
  acceptable: readonly string[],
  depth = 10,
): number | null {
  const index = returned.slice(0, depth).findIndex((id) => acceptable.includes(id));
  return index < 0 ? null : index + 1;
}

export function summarize(outcomes: readonly TaskOutcome[]): Metrics {
  const count = outcomes.length;
  const share = (k: number) =>
    count === 0 ? 0 : outcomes.filter((o) => o.rank !== null && o.rank <= k).length / count;
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    tasks: count,
    recallAt1: share(1),
    recallAt5: share(5),
    recallAt10: share(10),
    mrr: mean(outcomes.map((o) => (o.rank !== null && o.rank <= 10 ? 1 / o.rank : 0))),
    meanTokens: mean(outcomes.map((o) => o.tokens)),
  };
}
