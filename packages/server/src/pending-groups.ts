import { type APIGroup, ConfigError, type Logger, type OAuthAPIGroup } from '@agent-tool-protocol/protocol';
import type { Middleware } from './http/middleware.js';

/** What `server.use(…)` takes: middleware, API groups, promises of groups (as loaders return them), arrays. */
export type UseArgument =
  | Middleware
  | APIGroup
  | OAuthAPIGroup
  | PromiseLike<APIGroup | OAuthAPIGroup | readonly APIGroup[]>
  | readonly UseArgument[];

interface Buckets {
  middlewares: Middleware[];
  groups: APIGroup[];
  promises: PromiseLike<unknown>[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isGroup = (value: unknown): value is APIGroup =>
  isObject(value) && typeof value.name === 'string' && Array.isArray(value.functions);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (isObject(value) || typeof value === 'function') &&
  typeof (value as { then?: unknown }).then === 'function';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isObject(value)) {
    const keys = Object.keys(value).slice(0, 5);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
  }
  return `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
}

/**
 * API groups given to `server.use()` as promises: each is added when it resolves; `settled()` (awaited
 * by `listen()`) waits for all of them and fails, naming each, when one was rejected or did not resolve
 * to a group. Every promise gets its rejection handler at once, so none becomes an unhandled rejection.
 */
export class PendingGroups {
  private readonly pending = new Set<Promise<void>>();
  private failures: string[] = [];
  private built = false;
  /** Promises given so far, to number them in messages. */
  private added = 0;

  constructor(
    private readonly addGroup: (group: APIGroup) => void,
    private readonly logger: () => Logger | undefined,
  ) {}

  /** Sorts one `use()` argument into middleware, groups and promises; a TypeError for anything else. */
  static classify(value: unknown, label: string, buckets: Buckets): void {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        PendingGroups.classify(item, `${label}[${index}]`, buckets);
      });
    } else if (isThenable(value)) buckets.promises.push(value);
    else if (typeof value === 'function') buckets.middlewares.push(value as Middleware);
    else if (isGroup(value)) buckets.groups.push(value);
    else {
      throw new TypeError(
        `${label} is ${describeValue(value)}: use() takes middleware (async (context, next) => …), API groups ({ name, type, functions }), promises of API groups (loadOpenAPI(…), mcpConnector.connect(…)) or arrays of these.`,
      );
    }
  }

  add(promise: PromiseLike<unknown>): void {
    const label = `an API group promise given to use() (#${++this.added})`;
    const tracked: Promise<void> = Promise.resolve(promise)
      .then(
        (value) => {
          const groups = Array.isArray(value) ? value : [value];
          for (const group of groups) {
            if (!isGroup(group))
              throw new TypeError(`${label} resolved to ${describeValue(group)}, not an API group`);
            this.addGroup(group);
          }
        },
        (error: unknown) => {
          throw new Error(
            `${label} was rejected: ${error instanceof Error ? error.message : String(error)}`,
            {
              cause: error,
            },
          );
        },
      )
      .catch((error: unknown) => this.fail(error instanceof Error ? error.message : String(error), error))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Waits for every promise given so far; throws a ConfigError listing the ones that failed. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    const failures = this.failures;
    this.failures = [];
    if (failures.length > 0) {
      throw new ConfigError(`The server cannot start: ${failures.join('; ')}.`, [
        ...failures.map((message) => ({ path: 'use', message })),
      ]);
    }
  }

  /**
   * The engine exists: from now on a failure has nobody to throw to and is logged, as are the ones
   * recorded so far (when the engine was built by `handler()` rather than `listen()`).
   */
  engineBuilt(): void {
    this.built = true;
    for (const message of this.failures) this.logger()?.error({}, `API group not added: ${message}`);
    this.failures = [];
  }

  private fail(message: string, error: unknown): void {
    if (this.built) this.logger()?.error({ err: error }, `API group not added: ${message}`);
    else this.failures.push(message);
  }
}
