import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ATPError, ErrorCode, type Logger, parseOrThrow } from '@agent-tool-protocol/protocol';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const globs = z.array(z.string().min(1, 'must not be empty'));

const RateLimitSchema = z.strictObject({
  /** Globs over `group.fn`; each matching tool has its own counter. */
  tools: z.union([z.string().min(1), globs]),
  max: z.number().int().positive(),
  /** `execution` counts per execution; the others are sliding windows per client. */
  per: z.enum(['execution', 'second', 'minute', 'hour', 'day']).default('minute'),
});

const DeclarativePolicySchema = z.strictObject({
  name: z.string().min(1),
  tools: globs.default(['**']),
  /** Top-level parameters checked (default: the whole input). */
  params: z.array(z.string().min(1)).optional(),
  /** Globs over sources (`tool:crm.*`, `llm`, `user`): a value from any of them triggers the action. */
  fromSources: globs.min(1, 'must list at least one source'),
  action: z.enum(['block', 'approve']).default('block'),
  reason: z.string().optional(),
});

const ClientRulesSchema = z.strictObject({ allow: globs.optional(), deny: globs.optional() });

export const RulesSchema = z.strictObject({
  version: z.literal(1).optional(),
  /** When non-empty, only these tools may be called. */
  allow: globs.default([]),
  deny: globs.default([]),
  requireApproval: globs.default([]),
  rateLimits: z.array(RateLimitSchema).default([]),
  /** Free text returned with the definitions (GET /api/definitions), for the agent. */
  guidance: z.string().optional(),
  /** Per client id: extra allow/deny lists. */
  clients: z.record(z.string(), ClientRulesSchema).default({}),
  policies: z.array(DeclarativePolicySchema).default([]),
});

export type Rules = z.output<typeof RulesSchema>;
export type RulesInput = z.input<typeof RulesSchema>;
export type DeclarativePolicy = z.output<typeof DeclarativePolicySchema>;
export type RateLimitRule = z.output<typeof RateLimitSchema>;

/** Validates a rules object; the ValidationError names each bad field (`rules.rateLimits.0.max: …`). */
export function parseRules(value: unknown, what = 'rules'): Rules {
  return parseOrThrow(RulesSchema, value ?? {}, what, 'rules');
}

/** Parses rules text (YAML or JSON — JSON is YAML). */
export function parseRulesText(text: string, source = 'rules file'): Rules {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ATPError(ErrorCode.VALIDATION_ERROR, `Invalid ${source}: ${(error as Error).message}`, {
      httpStatus: 400,
    });
  }
  return parseRules(data, source);
}

export function loadRulesFile(path: string): Rules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ATPError(
      ErrorCode.VALIDATION_ERROR,
      `Cannot read the rules file ${path}: ${(error as Error).message}`,
      {
        httpStatus: 400,
      },
    );
  }
  return parseRulesText(text, `rules file ${path}`);
}

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type RulesLogger = Logger;

/**
 * The current rules: from an object, or from a file that is re-read when it changes (fs.watch with a
 * debounce). A change that does not validate is logged and ignored: the last valid rules stay.
 */
export class RulesSource {
  private current: Rules;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(rules: Rules) => void>();

  constructor(
    source: string | RulesInput | undefined,
    private readonly options: { logger?: Logger; debounceMs?: number; watch?: boolean } = {},
  ) {
    if (typeof source === 'string') {
      this.current = loadRulesFile(source);
      if (options.watch !== false) this.watchFile(source);
    } else {
      this.current = parseRules(source ?? {});
    }
  }

  get rules(): Rules {
    return this.current;
  }

  onChange(listener: (rules: Rules) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Watches the directory, not the file: editors that save by rename replace the file's inode. */
  private watchFile(path: string): void {
    const debounceMs = this.options.debounceMs ?? 100;
    const name = basename(path);
    try {
      this.watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed !== name) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(path), debounceMs);
      });
    } catch (error) {
      this.options.logger?.warn({ err: error, path }, 'cannot watch the rules file; it will not be reloaded');
    }
  }

  private async reload(path: string): Promise<void> {
    try {
      const next = parseRulesText(await readFile(path, 'utf8'), `rules file ${path}`);
      this.current = next;
      this.options.logger?.info({ path }, 'rules file reloaded');
      for (const listener of this.listeners) listener(next);
    } catch (error) {
      this.options.logger?.warn({ err: error, path }, 'rules file change ignored: it is invalid');
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
