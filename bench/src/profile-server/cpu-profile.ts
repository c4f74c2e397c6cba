// Reads a V8 CPU profile (`node --cpu-prof`) of a server and says where its main thread spent its busy
// time: by owner (the innermost ATP package on the stack, else the npm package, else Node itself) and by
// function, with the process's startup (module loading) left out.

/** The parts of a `.cpuprofile` file read here. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Of the busy time, 0–1. */
  share: number;
}

export interface ProfileSummary {
  /** Main-thread time not idle and not spent loading modules, in ms. */
  busyMs: number;
  /** Loading modules (at startup, or lazily on first use). */
  startupMs: number;
  idleMs: number;
  /** Busy time by owner, largest first. */
  owners: Share[];
  /** Busy time by the function that owns it (innermost ATP frame, else the leaf), largest first. */
  functions: Share[];
}

type Frame = CpuProfile['nodes'][number]['callFrame'];

/** Frames of module loading (at startup, or a lazy `require` on first use): not the per-request cost. */
const isModuleLoading = (frame: Frame) =>
  frame.url.startsWith('node:internal/modules/') ||
  /^(runEntryPointWithESMLoader|compileForInternalLoader)$/.test(frame.functionName);

/** `@agent-tool-protocol/<name>` for a built workspace package, the npm package name, or undefined. */
export function packageOf(url: string): string | undefined {
  const workspace = /\/packages\/([^/]+)\/dist\//.exec(url);
  if (workspace) return `@agent-tool-protocol/${workspace[1]}`;
  const modules = url.split('/node_modules/');
  if (modules.length < 2) return undefined;
  const parts = modules.at(-1)!.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const label = (frame: Frame) => `${frame.functionName || '(anonymous)'}:${frame.lineNumber + 1}`;

export function summariseProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfTime = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }

  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let startup = 0;
  let idle = 0;
  for (const [id, micros] of selfTime) {
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      stack.push(byId.get(at)!.callFrame);
    }
    const leaf = stack[0]!;
    if (leaf.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    if (stack.some(isModuleLoading)) {
      startup += micros;
      continue;
    }
    busy += micros;
    const ours = stack.find((frame) => packageOf(frame.url)?.startsWith('@agent-tool-protocol/'));
    const npm = stack.map((frame) => packageOf(frame.url)).find((name) => name !== undefined);
    const owner = ours ? packageOf(ours.url)! : (npm ?? 'node');
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
    const fn = ours ? `${owner} ${label(ours)}` : `${owner} ${label(leaf)}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const shares = (totals: Map<string, number>): Share[] =>
    [...totals]
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: busy > 0 ? micros / busy : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return {
    busyMs: busy / 1000,
    startupMs: startup / 1000,
    idleMs: idle / 1000,
    owners: shares(owners),
    functions: shares(functions),
  };
}
