// Type-checking agent code before it runs: a 30-line snippet against GitHub's REST API (1,200+
// operations), cold, warm and right after a catalog change. The measuring code lives in
// packages/typecheck/bench (where its dependencies are) and is loaded by path.
import { type BenchRow, type BenchScale, type BenchSuite, row } from '../measure.ts';

interface TypecheckMeasurements {
  functions: number;
  declarationChars: number;
  snippetLines: number;
  coldMs: number;
  warmMs: number[];
  afterChangeMs: number;
  diagnostics: number;
}
interface TypecheckModule {
  measureTypecheck(options: { iterations: number }): Promise<TypecheckMeasurements>;
}

const MEASURE_MODULE = '../../../packages/typecheck/bench/typecheck-bench.ts';
const count = (value: number) => value.toLocaleString('en-US');

export const typecheckSuite: BenchSuite = {
  name: 'typecheck',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const { measureTypecheck } = (await import(MEASURE_MODULE)) as TypecheckModule;
    const m = await measureTypecheck({ iterations: scale === 'full' ? 200 : 5 });
    const declarations = `${count(Math.round(m.declarationChars / 1000))}k chars of declarations`;
    return [
      row(
        `type-check ${m.snippetLines}-line snippet, GitHub API (${count(m.functions)} functions), warm`,
        m.warmMs,
        'ms',
        'p50 ≤ 50 ms',
        `a different snippet each run (no result cache); ${declarations}; ${m.diagnostics} diagnostics`,
      ),
      {
        name: 'type-check, first snippet (cold: parses the declarations)',
        p50: m.coldMs,
        p99: null,
        unit: 'ms',
        target: '–',
        note: 'once per group content; lib files once per process',
      },
      {
        name: 'type-check, first snippet after another group is added',
        p50: m.afterChangeMs,
        p99: null,
        unit: 'ms',
        target: '–',
        note: "GitHub's declarations stay parsed; includes rendering and hashing each group's declarations",
      },
    ];
  },
};
