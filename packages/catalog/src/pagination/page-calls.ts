import {
  ErrorCode,
  type JSONSchema,
  PAGE_CALL_SUFFIX,
  PAGE_HELPERS,
  type PageCallAnswer,
  type PageHelper,
  type Pagination,
  type ResolvedFunction,
  type ResponseInfo,
  ToolCallError,
} from '@agent-tool-protocol/protocol';
import { readPage } from './read-page.js';

/** What page calls need from the catalog. */
export interface PageCallTargets {
  /** The dispatcher's resolution of an ordinary path. */
  resolve(path: string): ResolvedFunction | undefined;
  /** The input properties of the function at `path` (from its input schema). */
  inputProperties(path: string): Record<string, JSONSchema>;
}

/** True for the path of a page call (`github.issues.listForRepo.all#page`). */
export function isPageCallPath(path: string): boolean {
  return path.endsWith(PAGE_CALL_SUFFIX);
}

/** `x.y.all#page` → `x.y` (for "did you mean" suggestions); other paths unchanged. */
export function pagedFunctionPath(path: string): string {
  if (!isPageCallPath(path)) return path;
  const base = path.slice(0, -PAGE_CALL_SUFFIX.length);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

function isHelper(name: string): name is PageHelper {
  return (PAGE_HELPERS as readonly string[]).includes(name);
}

/**
 * Resolves page calls. `<fn>.<helper>#page` with a page's input becomes a function that calls `<fn>` once
 * through the same dispatcher (so validation, hooks, approvals and audit see an ordinary call of `<fn>` with
 * that input) and answers the page's items and the input of the next page. A function that is itself named
 * `<fn>.<helper>` wins, answered as `{ value }`. Objects are cached per resolved function, so wrappers that
 * cache by identity keep working.
 */
export class PageCalls {
  private readonly pages = new WeakMap<ResolvedFunction, ResolvedFunction>();
  private readonly values = new WeakMap<ResolvedFunction, ResolvedFunction>();
  private readonly refusals = new WeakMap<ResolvedFunction, Map<PageHelper, ResolvedFunction>>();

  constructor(
    private readonly targets: PageCallTargets,
    private readonly defaultMaxItems: number,
  ) {}

  resolve(path: string): ResolvedFunction | undefined {
    const base = path.slice(0, -PAGE_CALL_SUFFIX.length);
    const dot = base.lastIndexOf('.');
    const helper = base.slice(dot + 1);
    if (dot < 0 || !isHelper(helper)) return undefined;
    const own = this.targets.resolve(base);
    if (own !== undefined) return this.cached(this.values, own, () => asValue(own));
    const target = base.slice(0, dot);
    const fn = this.targets.resolve(target);
    if (fn === undefined) return undefined;
    const pagination = fn.metadata?.pagination;
    if (pagination === undefined) return this.refusal(fn, helper);
    return this.cached(this.pages, fn, () =>
      this.pageFunction(fn, pagination, this.targets.inputProperties(target)),
    );
  }

  private cached(
    cache: WeakMap<ResolvedFunction, ResolvedFunction>,
    fn: ResolvedFunction,
    make: () => ResolvedFunction,
  ): ResolvedFunction {
    let made = cache.get(fn);
    if (made === undefined) {
      made = make();
      cache.set(fn, made);
    }
    return made;
  }

  private pageFunction(
    fn: ResolvedFunction,
    pagination: Pagination,
    inputProperties: Record<string, JSONSchema>,
  ): ResolvedFunction {
    const label = `api.${fn.path}`;
    const defaultMax = this.defaultMaxItems;
    const page: ResolvedFunction = {
      path: fn.path,
      group: fn.group,
      name: fn.name,
      call: async (input, context) => {
        const pageInput = withPageSize(pagination, input);
        let headers: Record<string, string> | undefined;
        const onResponse = (response: ResponseInfo) => {
          headers = response.headers;
          context.onResponse?.(response);
        };
        const result = await fn.call(pageInput, { ...context, onResponse });
        const read = readPage({
          pagination,
          input: (pageInput ?? {}) as Record<string, unknown>,
          result,
          headers,
          inputProperties,
          label,
        });
        const answer: PageCallAnswer = { page: { ...read, defaultMax } };
        return answer;
      },
    };
    if (fn.metadata !== undefined) page.metadata = fn.metadata;
    if (fn.validateInput !== undefined) page.validateInput = fn.validateInput;
    return page;
  }

  private refusal(fn: ResolvedFunction, helper: PageHelper): ResolvedFunction {
    let byHelper = this.refusals.get(fn);
    if (byHelper === undefined) {
      byHelper = new Map();
      this.refusals.set(fn, byHelper);
    }
    let refusal = byHelper.get(helper);
    if (refusal === undefined) {
      const error = () =>
        new ToolCallError(
          `api.${fn.path}.${helper}() is not available: api.${fn.path} does not page (only functions whose declarations show paginate and all do)`,
          { code: ErrorCode.PAGINATION_ERROR },
        );
      refusal = {
        path: fn.path,
        group: fn.group,
        name: fn.name,
        validateInput: () => {
          throw error();
        },
        call: async () => {
          throw error();
        },
      };
      if (fn.metadata !== undefined) refusal.metadata = fn.metadata;
      byHelper.set(helper, refusal);
    }
    return refusal;
  }
}

/** A function named like a helper (`users.all`): called as it is, its result wrapped as `{ value }`. */
function asValue(fn: ResolvedFunction): ResolvedFunction {
  const wrapped: ResolvedFunction = {
    ...fn,
    call: async (input, context) => {
      const answer: PageCallAnswer = { value: await fn.call(input, context) };
      return answer;
    },
  };
  return wrapped;
}

/** Asks for the largest documented page when the input sets no page size. */
function withPageSize(pagination: Pagination, input: unknown): unknown {
  const { pageSizeInput, maxPageSize } = pagination;
  if (pageSizeInput === undefined || maxPageSize === undefined) return input;
  if (input === undefined || input === null) return { [pageSizeInput]: maxPageSize };
  if (typeof input !== 'object' || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  return record[pageSizeInput] === undefined ? { ...record, [pageSizeInput]: maxPageSize } : input;
}
