import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ensureOriginal,
  findOriginalNode,
  ORIGINAL_PACKAGE,
  ORIGINAL_VERSION,
  type OriginalInstall,
} from '../../compare-original/install.ts';
import { type ConfigurationReport, report, scoreResponse, type TaskResult } from '../harness.ts';
import { EVAL_SPECS, loadSpec } from '../specs.ts';
import type { DiscoveryTask } from '../tasks.ts';

// The baseline: the same tasks against the published ATP 0.19 server (`@mondaydotcomorg/atp-server`),
// installed on demand where the side-by-side bench keeps it (outside the repository) and run with a
// Node 18–22 binary (0.19 predates Node 24). Its functions are named by operationId.

/** Heap given to 0.19 per spec; its loader expands recursive schemas and can exhaust it. */
const HEAP_MB = 4096;

interface Run {
  ok: boolean;
  stdout: string;
  error: string;
}

function run(command: string, args: string[], cwd: string): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const error = result.error ? String(result.error) : (result.stderr ?? '').trim();
  return { ok: result.status === 0, stdout: result.stdout ?? '', error };
}

/** The original as the side-by-side bench installs it (a Node 18–22, isolated-vm built), or why not. */
export async function installOriginal(log?: (line: string) => void): Promise<OriginalInstall> {
  const node = findOriginalNode();
  if (!node) throw new Error('no Node 18, 20 or 22 on PATH to run ATP 0.19 (set ATP_ORIGINAL_NODE)');
  return ensureOriginal(node, undefined, log);
}

/** One line saying why the heap ran out, or the last line of the error. */
function reason(error: string): string {
  if (/heap out of memory|Reached heap limit/.test(error)) return `out of memory (${HEAP_MB} MB heap)`;
  return error.split('\n').filter(Boolean).pop() ?? 'failed';
}

/** The original's `/api/search` on every task; one report in the harness's shape. */
export function runOriginal(tasks: readonly DiscoveryTask[], install: OriginalInstall): ConfigurationReport {
  const { dir } = install;
  const { path: node, version } = install.node;
  copyFileSync(fileURLToPath(new URL('./run-original.mjs', import.meta.url)), join(dir, 'run-original.mjs'));
  const scratch = mkdtempSync(join(tmpdir(), 'atp-discovery-input-'));
  const results: TaskResult[] = [];
  const notes: string[] = [];
  try {
    for (const spec of EVAL_SPECS) {
      const own = tasks.filter((task) => task.spec === spec.name);
      if (own.length === 0) continue;
      const ask = (stubSchemas: boolean) => {
        const inputPath = join(scratch, `${spec.name}.json`);
        const input = {
          spec: { name: spec.name, path: loadSpec(spec).path, stubSchemas },
          queries: own.map((t) => t.query),
        };
        writeFileSync(inputPath, JSON.stringify(input));
        return run(node, [`--max-old-space-size=${HEAP_MB}`, 'run-original.mjs', inputPath], dir);
      };
      let answer = ask(false);
      if (!answer.ok) {
        notes.push(
          `${spec.name}: 0.19's loadOpenAPI fails (${reason(answer.error)}); measured with the spec's component schemas stubbed (ranking unchanged: 0.19 scores name, description and tags only; its signatures, so its tokens, differ)`,
        );
        answer = ask(true);
        if (!answer.ok) throw new Error(`0.19 on ${spec.name}: ${reason(answer.error)}`);
      }
      const responses = JSON.parse(answer.stdout) as {
        results: { apiGroup: string; functionName: string }[];
      }[];
      own.forEach((task, index) => {
        // 0.19 names each function by its operationId.
        results.push(scoreResponse(task, responses[index]!, (path) => path.slice(path.indexOf('.') + 1)));
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    ...report(
      `ATP 0.19.17`,
      `${ORIGINAL_PACKAGE}@${ORIGINAL_VERSION} on Node ${version}: SearchEngine.search as its /api/search`,
      results,
    ),
    notes,
  };
}
