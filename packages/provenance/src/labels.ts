import { type ToolMetadata, ToolMetadataSchema } from '@agent-tool-protocol/protocol';
import { compileGlob } from './glob.js';

/** Where a value came from: `user`, `tool:<group.fn>`, `llm`, `cache`, `embedding` or `unknown`. */
export type Source = string;

/** One labelled leaf of a tool call's input: its path, its sources, and whether it is an object key. */
export interface LabelledLeaf {
  path: (string | number)[];
  sources: Source[];
  isKey: boolean;
}

/** Who may read a value: anyone, or a set of principals (emails, `@domain`, `user`). */
export type Readers = 'public' | ReadonlySet<string>;

export const USER = 'user';

/**
 * The labels a provenance mode attached to one call's input. Leaves without an entry carry no
 * label: they come from the user (literals in the agent's code, the user's own arguments).
 */
export interface InputProvenance {
  mode: 'proxy' | 'ast';
  leaves: LabelledLeaf[];
}

/**
 * Parses the labels the `ast` tracker sent with a call (`SandboxLabels` of the protocol package);
 * undefined when they are missing or malformed.
 */
export function parseSandboxLabels(raw: unknown): LabelledLeaf[] | undefined {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return undefined;
  const leaves = (raw as { leaves?: unknown }).leaves;
  if (!Array.isArray(leaves)) return undefined;
  const parsed: LabelledLeaf[] = [];
  for (const leaf of leaves) {
    if (!Array.isArray(leaf) || !Array.isArray(leaf[0]) || !Array.isArray(leaf[1])) return undefined;
    const path = leaf[0] as unknown[];
    const sources = leaf[1] as unknown[];
    if (!path.every((part) => typeof part === 'string' || typeof part === 'number')) return undefined;
    if (!sources.every((source) => typeof source === 'string')) return undefined;
    parsed.push({ path: path as (string | number)[], sources: sources as string[], isKey: leaf[2] === 1 });
  }
  return parsed;
}

export interface ReadersConfig {
  /** Readers per tool (globs over `group.fn`, first match wins): a list of principals or `'public'`. */
  readers?: Record<string, string[] | 'public'>;
  /** The user's identities (emails, `@domain`): what the principal `user` stands for. */
  user?: string[];
  /** Looks up a tool's metadata (the server passes its catalog). */
  metadataOf?: (path: string) => ToolMetadata | undefined;
}

/**
 * Maps sources to readers. Tool data is readable only by the user unless the tool is marked
 * `sensitivity: 'public'` or a `readers` entry says otherwise (fail closed: unknown tools are private).
 * LLM output is public as such: it carries the labels of the prompt it was given.
 */
export class ReadersMap {
  private readonly rules: { pattern: RegExp; readers: Readers }[];
  private readonly userReaders: ReadonlySet<string>;
  private readonly learned = new Map<string, ToolMetadata>();

  constructor(private readonly config: ReadersConfig = {}) {
    this.userReaders = new Set([USER, ...(config.user ?? []).map(normalise)]);
    this.rules = Object.entries(config.readers ?? {}).map(([glob, readers]) => ({
      pattern: compileGlob(glob),
      readers: readers === 'public' ? 'public' : this.expand(readers),
    }));
  }

  /** Remembers metadata seen in tool calls (used when no catalog lookup is configured). */
  learn(path: string, metadata: ToolMetadata): void {
    if (!this.learned.has(path)) this.learned.set(path, metadata);
  }

  readersOf(source: Source): Readers {
    if (source === USER || source === 'llm') return 'public';
    if (!source.startsWith('tool:')) return this.userReaders;
    const tool = source.slice(5);
    for (const rule of this.rules) if (rule.pattern.test(tool)) return rule.readers;
    const metadata = this.metadata(tool);
    return metadata?.sensitivity === 'public' ? 'public' : this.userReaders;
  }

  /** Readers of a value with these sources: the intersection of each source's readers. */
  readersOfAll(sources: Iterable<Source>): Readers {
    let result: Readers = 'public';
    for (const source of sources) result = intersect(result, this.readersOf(source));
    return result;
  }

  private metadata(tool: string): ToolMetadata | undefined {
    const found = this.config.metadataOf?.(tool) ?? this.learned.get(tool);
    if (found === undefined) return undefined;
    const parsed = ToolMetadataSchema.safeParse(found);
    return parsed.success ? (parsed.data as ToolMetadata) : undefined;
  }

  private expand(readers: string[]): ReadonlySet<string> {
    const set = new Set<string>();
    for (const reader of readers) {
      if (reader === USER) for (const identity of this.userReaders) set.add(identity);
      else set.add(normalise(reader));
    }
    return set;
  }
}

function intersect(a: Readers, b: Readers): Readers {
  if (a === 'public') return b;
  if (b === 'public') return a;
  return new Set([...a].filter((reader) => b.has(reader) || (reader !== USER && coveredBy(reader, b))));
}

const normalise = (value: string) => value.trim().toLowerCase();

/** True when `recipient` (an address or URL) is one of the readers, or in a reader's `@domain`. */
export function coveredBy(recipient: string, readers: Readers): boolean {
  if (readers === 'public') return true;
  const value = normalise(recipient);
  if (readers.has(value) || readers.has('*')) return true;
  for (const reader of readers) {
    if (reader.startsWith('@') && (value.endsWith(reader) || hostOf(value) === reader.slice(1))) return true;
  }
  return false;
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value).hostname;
  } catch {
    return undefined;
  }
}

export function describeReaders(readers: Readers): string {
  return readers === 'public' ? 'anyone' : [...readers].join(', ') || 'nobody';
}
