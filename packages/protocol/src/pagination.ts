import { z } from 'zod';

// How a function pages (`ToolMetadata.pagination`), shared by every loader: OpenAPI groups detect it from
// their spec, GraphQL groups from Relay connections, custom groups declare it. Agent code reads every page
// with `api.<fn>.paginate(input)` / `api.<fn>.all(input)`; the catalog follows the description host-side.
//
// Paths (`items`, `nextCursor`, `hasMore`) are dotted paths into the function's result: `data`,
// `response_metadata.next_cursor`; in `items`, a `[]` step maps a list (`edges[].node`) and `''` is the
// result itself. Input names (`cursorInput`, `pageSizeInput`, …) are top-level properties of the input.

interface PageSizeFields {
  /** The input property that sets the page size (`per_page`, `limit`, `first`). */
  pageSizeInput?: string;
  /** The largest page size the API documents: asked for when the input sets no page size. */
  maxPageSize?: number;
}

interface ItemsField {
  /**
   * Where a page's items are. Absent: the result when it is a list, else the result's only list-valued
   * property (decided per response).
   */
  items?: string;
}

/** RFC 8288 `Link: <…>; rel="next"` response headers: the next link's query parameters are the next input. */
export interface LinkPagination extends ItemsField, PageSizeFields {
  style: 'link';
}

/** The previous page hands out a cursor (token) that goes into an input property. */
export interface CursorPagination extends ItemsField, PageSizeFields {
  style: 'cursor';
  /** The input property that takes the cursor (`cursor`, `starting_after`, `offset` for Asana's tokens). */
  cursorInput: string;
  /**
   * Where the next cursor is in the result (`next_cursor`, `response_metadata.next_cursor`). Absent and
   * without `cursorFromLastItem`: looked up per response among the usual places (see docs/pagination.md).
   */
  nextCursor?: string;
  /** The next cursor is this property of the page's last item (Stripe: the last `id` as `starting_after`). */
  cursorFromLastItem?: string;
  /** A boolean in the result that is false on the last page (`has_more`). */
  hasMore?: string;
}

/** A GraphQL Relay connection: `first`/`after` arguments, `pageInfo { hasNextPage endCursor }`. */
export interface RelayPagination extends PageSizeFields {
  style: 'relay';
  /** `nodes`, or `edges[].node`. */
  items: string;
  /** The argument that takes the previous page's end cursor (`after`). */
  cursorInput: string;
  /** `pageInfo.endCursor`. */
  nextCursor: string;
  /** `pageInfo.hasNextPage`. */
  hasMore: string;
}

/** A numeric offset: the next page starts where this one ended (`offset` + items on this page). */
export interface OffsetPagination extends ItemsField, PageSizeFields {
  style: 'offset';
  offsetInput: string;
}

/** Numbered pages (`page=1, 2, …`); a `Link` next header in a response, when present, is followed instead. */
export interface PagePagination extends ItemsField, PageSizeFields {
  style: 'page';
  pageInput: string;
  /** The number of the first page (default 1). */
  firstPage?: number;
}

export type Pagination =
  | LinkPagination
  | CursorPagination
  | RelayPagination
  | OffsetPagination
  | PagePagination;

export type PaginationStyle = Pagination['style'];

const inputName = z.string().min(1, 'must not be empty');
const path = z.string();
const pageSize = {
  pageSizeInput: inputName.optional(),
  maxPageSize: z.number().int().positive().optional(),
};

/** Checks a `metadata.pagination` value (custom groups, `x-atp-pagination` in OpenAPI specs). */
export const PaginationSchema: z.ZodType<Pagination> = z.discriminatedUnion('style', [
  z.object({ style: z.literal('link'), items: path.optional(), ...pageSize }),
  z.object({
    style: z.literal('cursor'),
    items: path.optional(),
    cursorInput: inputName,
    nextCursor: path.min(1).optional(),
    cursorFromLastItem: path.min(1).optional(),
    hasMore: path.min(1).optional(),
    ...pageSize,
  }),
  z.object({
    style: z.literal('relay'),
    items: path,
    cursorInput: inputName,
    nextCursor: path.min(1),
    hasMore: path.min(1),
    ...pageSize,
  }),
  z.object({ style: z.literal('offset'), items: path.optional(), offsetInput: inputName, ...pageSize }),
  z.object({
    style: z.literal('page'),
    items: path.optional(),
    pageInput: inputName,
    firstPage: z.number().int().nonnegative().optional(),
    ...pageSize,
  }),
]) as z.ZodType<Pagination>;

/**
 * Where a cursor style finds the next cursor when `nextCursor` does not say, first match wins (`{input}` is
 * the cursor's input name): Slack's `response_metadata.next_cursor`, Asana's `next_page.offset`, Stripe
 * search's `next_page`, Box's `next_marker`, Zoom's `next_page_token` (named like its input), ….
 * A string or number there is the cursor; null or '' ends the listing.
 */
export const NEXT_CURSOR_PLACES = [
  'next_cursor',
  'nextCursor',
  'response_metadata.next_cursor',
  'next_page_token',
  'nextPageToken',
  'next_token',
  'nextToken',
  'next_page.{input}',
  'next_page',
  'pagination.next_cursor',
  'meta.next_cursor',
  'next_{input}',
  '{input}',
] as const;

/** Where a cursor style finds "more pages follow" when `hasMore` does not say (a boolean; false ends it). */
export const HAS_MORE_PLACES = ['has_more', 'hasMore'] as const;

/** The default item cap of `paginate()` / `all()` when agent code passes no `max`. */
export const DEFAULT_MAX_PAGE_ITEMS = 1000;

/**
 * The helpers on every `api.<fn>` that pages: `paginate(input, {max})` (an async iterable of items) and
 * `all(input, {max})` (a promise of the items as an array).
 */
export const PAGE_HELPERS = ['paginate', 'all'] as const;
export type PageHelper = (typeof PAGE_HELPERS)[number];

/**
 * A page call is an ordinary `api` sandbox call whose path is `<function path>.<helper>` plus this suffix
 * (`github.issues.listForRepo.all#page`), with the page's input. The dispatcher answers it with a
 * `PageCallAnswer`; the suffix cannot occur in a function's path.
 */
export const PAGE_CALL_SUFFIX = '#page';

/** One page, as the host hands it to the sandbox. */
export interface PageOfItems {
  items: unknown[];
  /** Input properties to set for the next page (merged over this page's input); null on the last page. */
  next: Record<string, unknown> | null;
  /** The item cap when agent code set none. */
  defaultMax: number;
  /** Said to agent code (`atp.log` warn) once, e.g. when the next page could not be determined. */
  warning?: string;
}

/**
 * The answer to a page call: a page, or — when `<function path>.<helper>` is itself a function (say
 * `api.users.all`) — that function's result, so existing functions named like a helper keep working.
 */
export type PageCallAnswer = { page: PageOfItems } | { value: unknown };

/** What a handler reports about the HTTP response behind a result (`FunctionCallContext.onResponse`). */
export interface ResponseInfo {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
}
