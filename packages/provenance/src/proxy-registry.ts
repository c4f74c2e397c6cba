import type { LabelledLeaf, Source } from './labels.js';

const MAX_EXECUTIONS = 1_000;
const MAX_CHARS_PER_EXECUTION = 8 * 1024 * 1024;

interface ExecutionValues {
  values: Map<string, Set<Source>>;
  chars: number;
  /** Over budget: every string leaf is treated as carrying `unknown` (fail safe). */
  saturated: boolean;
}

/**
 * `proxy` mode: the host remembers every string a tool returned to an execution and labels a later
 * call's string arguments by value: equal to a remembered string, containing one, or contained in one
 * (both only for strings of at least `minSubstringLength` characters). No code transform, no
 * per-operation cost in the sandbox; see docs/security.md for what this catches and misses.
 */
export class ProxyRegistry {
  private readonly executions = new Map<string, ExecutionValues>();

  constructor(private readonly minSubstringLength = 8) {}

  record(executionId: string, source: Source, value: unknown): void {
    let entry = this.executions.get(executionId);
    if (entry === undefined) {
      if (this.executions.size >= MAX_EXECUTIONS) {
        this.executions.delete(this.executions.keys().next().value as string);
      }
      entry = { values: new Map(), chars: 0, saturated: false };
      this.executions.set(executionId, entry);
    }
    const target = entry;
    walkStrings(value, (text) => {
      if (target.saturated || text === '') return;
      let sources = target.values.get(text);
      if (sources === undefined) {
        target.chars += text.length;
        if (target.chars > MAX_CHARS_PER_EXECUTION) {
          target.saturated = true;
          return;
        }
        sources = new Set();
        target.values.set(text, sources);
      }
      sources.add(source);
    });
  }

  labels(executionId: string, input: unknown): LabelledLeaf[] {
    const entry = this.executions.get(executionId);
    if (entry === undefined) return [];
    const leaves: LabelledLeaf[] = [];
    const min = this.minSubstringLength;
    walkLeaves(input, [], (text, path, isKey) => {
      const sources = new Set<Source>();
      if (entry.saturated) sources.add('unknown');
      const exact = entry.values.get(text);
      if (exact !== undefined) for (const source of exact) sources.add(source);
      for (const [known, from] of entry.values) {
        if ((known.length >= min && text.includes(known)) || (text.length >= min && known.includes(text))) {
          for (const source of from) sources.add(source);
        }
      }
      if (sources.size > 0) leaves.push({ path, sources: [...sources].sort(), isKey });
    });
    return leaves;
  }

  forget(executionId: string): void {
    this.executions.delete(executionId);
  }
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (typeof value === 'number') visit(String(value));
  else if (Array.isArray(value)) for (const item of value) walkStrings(item, visit);
  else if (value !== null && typeof value === 'object') {
    // Keys are field names ("body", "subject") far more often than data: not recorded.
    for (const item of Object.values(value)) walkStrings(item, visit);
  }
}

function walkLeaves(
  value: unknown,
  path: (string | number)[],
  visit: (text: string, path: (string | number)[], isKey: boolean) => void,
): void {
  if (typeof value === 'string') visit(value, path, false);
  else if (typeof value === 'number') visit(String(value), path, false);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walkLeaves(item, [...path, index], visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      visit(key, [...path, key], true);
      walkLeaves(item, [...path, key], visit);
    }
  }
}
