import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compareServers, ourLaunch, startServerProcess } from '../src/compare-original/compare.ts';
import { findOriginalNode, isInstalled, originalDir } from '../src/compare-original/install.ts';
import { comparisonRows, comparisonTable, conditionsOf } from '../src/compare-original/report.ts';
import { compareOriginalSuite } from '../src/suites/compare-original.ts';

// The harness is exercised with our server on both sides (the original needs Node 18–22 and a
// minutes-long isolated-vm 5 build, so it runs in `pnpm bench`, not here). No timing assertions.
describe('side-by-side harness', () => {
  it('measures two server processes from a client process, checking every result', async () => {
    const comparison = await compareServers(ourLaunch(), ourLaunch(), 'smoke');
    expect(comparison.measures.map((m) => m.id)).toEqual([
      'trivial',
      'oneCall',
      'tenSequential',
      'tenCallbacks',
      'concurrent',
      'trivialBackToBack',
    ]);
    for (const measure of comparison.measures) {
      expect(measure.baseline.samples).toBe(measure.id === 'concurrent' ? 2 : 4);
      expect(measure.ours.samples).toBe(measure.baseline.samples);
      expect(measure.ratio).toBeGreaterThan(0);
    }
    // The concurrent batch cannot finish before its 100 ms tool does.
    const concurrent = comparison.measures.find((m) => m.id === 'concurrent')!;
    expect(concurrent.ours.p50).toBeGreaterThanOrEqual(100);
    expect(concurrent.label).toBe('10 concurrent executions of a 100 ms tool');
    // The floor server ran, in the same rounds, every measure it can answer (all but the callbacks),
    // checked like the real servers; on the concurrent one it still waits the tool's 100 ms.
    expect(comparison.measures.filter((m) => m.floor !== undefined).map((m) => m.id)).toEqual([
      'trivial',
      'oneCall',
      'tenSequential',
      'concurrent',
      'trivialBackToBack',
    ]);
    for (const measure of comparison.measures)
      if (measure.floor) expect(measure.floor.samples).toBe(measure.baseline.samples);
    expect(concurrent.floor!.p50).toBeGreaterThanOrEqual(100);

    const rows = comparisonRows(comparison);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({
      name: 'vs ATP 0.19 over HTTP: trivial execution (ours)',
      target: '≥ 5× ATP 0.19',
    });
    expect(rows.at(-1)!.target).toBe('ours ≤ 1.5 ms');
    expect(rows.find((row) => row.name.includes('concurrent'))!.note).toMatch(
      /the tool alone takes 100 ms; floor \d+ ms \(the same client against a server that answers without running anything/,
    );
    expect(rows[0]!.note).toMatch(
      /; floor [\d.]+ ms .*ATP 0\.19 ÷ floor [\d.]+×, ours − floor -?[\d.]+ ms\)$/,
    );
    expect(rows.find((row) => row.name.includes('callbacks'))!.note).not.toMatch(/floor/);
    expect(conditionsOf(comparison)).toMatch(
      /against a bare `node:http` server that answers each measure's known result/,
    );
    const table = comparisonTable(comparison).split('\n');
    expect(table).toHaveLength(8);
    expect(table[0]).toContain('| floor |');
    expect(table.find((line) => line.startsWith('| ten LLM callbacks'))).toMatch(/\| – \|/);
  }, 180_000);

  it('decomposes the rows: floor, our server with a canned executor, our server', async () => {
    const script = fileURLToPath(new URL('../src/compare-original/decompose.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--no-node-snapshot', '--no-warnings', script, '--rounds=1', '--per-round=2'],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toContain('| floor | + our HTTP stack and engine | + sandbox (ours) |');
    // Every single-execution measure the floor answers, each with three p50s and two differences.
    expect(lines.slice(2).map((line) => line.split(' | ')[0])).toEqual([
      '| trivial execution',
      '| one API call',
      '| ten sequential API calls',
      '| trivial execution, back-to-back (no idle)',
    ]);
    for (const line of lines.slice(2)) expect(line).toMatch(/^\|[^|]+(\| -?[\d.]+ ){5}\|$/);
  }, 180_000);

  it('reports a server that exits before listening, with its stderr', async () => {
    await expect(
      startServerProcess({
        description: 'a broken server',
        command: process.execPath,
        args: ['-e', 'console.error("no port for you"); process.exit(3)'],
      }),
    ).rejects.toThrow(/a broken server: exited with 3 before listening\nno port for you/);
  });
});

describe('compare-original bench suite', () => {
  it('says in one row why it did not run when no Node can run the original', async () => {
    const previous = process.env.ATP_ORIGINAL_NODE;
    process.env.ATP_ORIGINAL_NODE = process.execPath; // Node 24: isolated-vm 5 does not build for it
    try {
      const rows = await compareOriginalSuite.run('smoke');
      expect(rows).toEqual([
        expect.objectContaining({
          name: 'vs ATP 0.19 over HTTP',
          p50: null,
          target: '–',
          note: expect.stringMatching(/^not run: no Node 18, 20 or 22/),
        }),
      ]);
      expect(compareOriginalSuite.documents?.()).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.ATP_ORIGINAL_NODE;
      else process.env.ATP_ORIGINAL_NODE = previous;
    }
  });
});

describe('finding a Node for the original', () => {
  let dir: string;
  const fakeNode = (name: string, version: string) => {
    const bin = join(dir, name);
    mkdirSync(bin);
    writeFileSync(join(bin, 'node'), `#!/bin/sh\necho ${version}\n`);
    chmodSync(join(bin, 'node'), 0o755);
    return bin;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-node-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the first node on PATH whose major isolated-vm 5 supports', () => {
    const node24 = fakeNode('a', 'v24.21.0');
    const node20 = fakeNode('b', 'v20.20.2');
    const node22 = fakeNode('c', 'v22.1.0');
    expect(
      findOriginalNode({ PATH: [node24, join(dir, 'missing'), node20, node22].join(delimiter) }),
    ).toEqual({
      path: join(node20, 'node'),
      version: 'v20.20.2',
    });
    expect(findOriginalNode({ PATH: node24 })).toBeUndefined();
    expect(findOriginalNode({ PATH: node20, ATP_ORIGINAL_NODE: join(node22, 'node') })?.version).toBe(
      'v22.1.0',
    );
    expect(findOriginalNode({ PATH: node20, ATP_ORIGINAL_NODE: join(node24, 'node') })).toBeUndefined();
  });

  it('installs into a cache directory outside the workspace, and sees an empty one as not installed', () => {
    expect(originalDir({ XDG_CACHE_HOME: dir })).toBe(join(dir, 'agent-tool-protocol', 'atp-server-0.19.17'));
    expect(originalDir({ ATP_ORIGINAL_DIR: '/elsewhere' })).toBe('/elsewhere');
    expect(isInstalled(dir, { path: process.execPath, version: process.version })).toBe(false);
  });
});
