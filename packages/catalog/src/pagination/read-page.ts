import {
  type CursorPagination,
  ErrorCode,
  HAS_MORE_PLACES,
  type JSONSchema,
  NEXT_CURSOR_PLACES,
  type Pagination,
  type RelayPagination,
  ToolCallError,
} from '@agent-tool-protocol/protocol';
import { nextLink } from './link-header.js';
import { listProperties, valueAt } from './value-path.js';

/** One page's response, with what is needed to find the next page. */
export interface PageResponse {
  pagination: Pagination;
  /** The page's input as it was sent. */
  input: Record<string, unknown>;
  result: unknown;
  /** The response's headers (lower-case names) when the handler reported them. */
  headers: Record<string, string> | undefined;
  /** The function's input properties: a Link's query values are typed by them. */
  inputProperties: Record<string, JSONSchema>;
  /** `api.<path>`, for messages. */
  label: string;
}

export interface PageRead {
  items: unknown[];
  /** Input properties to set for the next page; null on the last page. */
  next: Record<string, unknown> | null;
  warning?: string;
}

function paginationError(message: string): ToolCallError {
  return new ToolCallError(message, { code: ErrorCode.PAGINATION_ERROR });
}

const LAST_PAGE = null;

/** The items of one page and the input changes that fetch the next one. */
export function readPage(page: PageResponse): PageRead {
  const { pagination, result } = page;
  // A GraphQL root field may be null (nothing there): an empty, last page.
  if (result === null || result === undefined) return { items: [], next: LAST_PAGE };
  const items = itemsOf(page);
  // A `Link` header decides when present (GitHub sends one on page-numbered and cursor listings too),
  // unless the function says where its cursor is in the body.
  const link = pagination.style === 'relay' ? undefined : page.headers?.link;
  if (link !== undefined) {
    const url = nextLink(link);
    if (url !== undefined) return withItems(items, { next: inputFromLink(page, url) });
    if (!hasBodyCursor(pagination)) return withItems(items, { next: LAST_PAGE });
  }
  switch (pagination.style) {
    case 'link':
      return withItems(items, page.headers === undefined ? noHeaders(page) : { next: LAST_PAGE });
    case 'page':
      return withItems(items, nextNumber(page, items, pagination.pageInput, pagination.firstPage ?? 1, 1));
    case 'offset':
      return withItems(items, nextNumber(page, items, pagination.offsetInput, 0, items.length));
    case 'cursor':
      return withItems(items, nextCursor(page, pagination, items));
    case 'relay':
      return withItems(items, nextRelayCursor(page, pagination));
  }
}

function hasBodyCursor(pagination: Pagination): boolean {
  return (
    pagination.style === 'cursor' &&
    (pagination.nextCursor !== undefined || pagination.cursorFromLastItem !== undefined)
  );
}

function noHeaders(page: PageResponse): Next {
  return {
    next: LAST_PAGE,
    warning: `${page.label} pages with Link headers but its handler reports no response headers; only the first page was read`,
  };
}

type Next = { next: Record<string, unknown> | null; warning?: string };

function withItems(items: unknown[], next: Next): PageRead {
  return next.warning === undefined
    ? { items, next: next.next }
    : { items, next: next.next, warning: next.warning };
}

function itemsOf(page: PageResponse): unknown[] {
  const { pagination, result, label } = page;
  if (pagination.items !== undefined) {
    const found = valueAt(result, pagination.items);
    if (Array.isArray(found)) {
      // `edges[].node` maps the edges: an edge without a node is skipped.
      return pagination.items.includes('[]')
        ? found.filter((item) => item !== undefined && item !== null)
        : found;
    }
    if (found === null) return [];
    const hint =
      pagination.style === 'relay'
        ? ` (a _fields selection must include ${pagination.items.split('[]')[0]})`
        : '';
    throw paginationError(`${label}: the response has no list at "${pagination.items}"${hint}`);
  }
  if (Array.isArray(result)) return result;
  const lists = listProperties(result);
  if (lists.length === 1) return (result as Record<string, unknown[]>)[lists[0]!]!;
  throw paginationError(
    lists.length === 0
      ? `${label}: the response has no list of items`
      : `${label}: the response has several lists (${lists.join(', ')}); its metadata.pagination.items must say which holds the items`,
  );
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** Page numbers and numeric offsets: the next value, unless this page was empty or short. */
function nextNumber(page: PageResponse, items: unknown[], input: string, start: number, step: number): Next {
  if (items.length === 0) return { next: LAST_PAGE };
  const pageSizeInput = page.pagination.pageSizeInput;
  const size = pageSizeInput === undefined ? undefined : toNumber(page.input[pageSizeInput]);
  if (size !== undefined && items.length < size) return { next: LAST_PAGE };
  const current = toNumber(page.input[input]) ?? start;
  return { next: { [input]: current + step } };
}

/**
 * The next link's query parameters as input properties: only parameters the function declares are taken
 * (the URL itself is never requested, so credentials never follow a link to another host), typed by
 * their schemas; unchanged ones are left out.
 */
function inputFromLink(page: PageResponse, url: URL): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const name of new Set(url.searchParams.keys())) {
    const schema = page.inputProperties[name];
    if (schema === undefined) {
      ignored.push(name);
      continue;
    }
    const values = url.searchParams.getAll(name);
    const value = typed(values, schema);
    if (JSON.stringify(value) !== JSON.stringify(page.input[name])) next[name] = value;
  }
  if (Object.keys(next).length === 0) {
    const which =
      ignored.length > 0 ? ` (it sets ${ignored.join(', ')}, which the function does not take)` : '';
    throw paginationError(
      `${page.label}: the next page's Link changes no input of the function${which}, so it would fetch the same page again`,
    );
  }
  return next;
}

function typesOf(schema: JSONSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function typed(values: string[], schema: JSONSchema): unknown {
  const types = typesOf(schema);
  if (types.includes('array')) {
    const items = (schema.items ?? {}) as JSONSchema;
    const parts = values.length === 1 ? values[0]!.split(',') : values;
    return parts.map((part) => scalar(part, typesOf(items)));
  }
  return scalar(values[values.length - 1]!, types);
}

function scalar(value: string, types: string[]): unknown {
  if ((types.includes('integer') || types.includes('number')) && toNumber(value) !== undefined) {
    return Number(value);
  }
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function nextCursor(page: PageResponse, pagination: CursorPagination, items: unknown[]): Next {
  const { result, label } = page;
  const more = pagination.hasMore !== undefined ? valueAt(result, pagination.hasMore) : usualHasMore(result);
  if (more === false) return { next: LAST_PAGE };
  let cursor: unknown;
  if (pagination.cursorFromLastItem !== undefined) {
    if (items.length === 0) return { next: LAST_PAGE };
    cursor = valueAt(items[items.length - 1], pagination.cursorFromLastItem);
    if (cursor === undefined || cursor === null) {
      throw paginationError(
        `${label}: the last item has no "${pagination.cursorFromLastItem}" to continue after`,
      );
    }
  } else if (pagination.nextCursor !== undefined) {
    cursor = valueAt(result, pagination.nextCursor);
  } else {
    const found = usualCursor(result, pagination.cursorInput);
    if (found === undefined) {
      return {
        next: LAST_PAGE,
        warning: `${label}: found no next cursor in the response (looked at ${NEXT_CURSOR_PLACES.map((place) => place.replace('{input}', pagination.cursorInput)).join(', ')}); stopped after this page`,
      };
    }
    cursor = found.value;
  }
  return { next: cursorInput(page, pagination.cursorInput, cursor) };
}

function usualHasMore(result: unknown): unknown {
  for (const place of HAS_MORE_PLACES) {
    const value = valueAt(result, place);
    if (typeof value === 'boolean') return value;
  }
  return undefined;
}

function usualCursor(result: unknown, input: string): { value: unknown } | undefined {
  for (const place of NEXT_CURSOR_PLACES) {
    const value = valueAt(result, place.replace('{input}', input));
    // An object (Asana's `next_page` when it has no `offset`) is not a cursor.
    if (value === undefined || (typeof value === 'object' && value !== null)) continue;
    return { value };
  }
  return undefined;
}

function cursorInput(page: PageResponse, input: string, cursor: unknown): Record<string, unknown> | null {
  if (cursor === undefined || cursor === null || cursor === '') return LAST_PAGE;
  if (typeof cursor !== 'string' && typeof cursor !== 'number') {
    throw paginationError(`${page.label}: the next cursor is not a string or number`);
  }
  if (cursor === page.input[input]) {
    throw paginationError(
      `${page.label}: the API returned the cursor it was given, so the next page would be this one again`,
    );
  }
  return { [input]: cursor };
}

function nextRelayCursor(page: PageResponse, pagination: RelayPagination): Next {
  const more = valueAt(page.result, pagination.hasMore);
  if (typeof more !== 'boolean') {
    throw paginationError(
      `${page.label}: the response has no ${pagination.hasMore} (a _fields selection must include pageInfo { hasNextPage endCursor })`,
    );
  }
  if (!more) return { next: LAST_PAGE };
  const cursor = valueAt(page.result, pagination.nextCursor);
  if (cursor === undefined || cursor === null) {
    throw paginationError(
      `${page.label}: hasNextPage is true but the response has no ${pagination.nextCursor}`,
    );
  }
  return { next: cursorInput(page, pagination.cursorInput, cursor) };
}
