import { type JSONSchema, NEXT_CURSOR_PLACES, type Pagination } from '@agent-tool-protocol/protocol';
import type { InputShape } from '../inputs.js';
import type { OperationModel } from '../model.js';
import type { SchemaView } from './schema-view.js';

// Which paging style an operation uses, read from its spec: its query parameters, the success response's
// documented headers and its schema. The catalog follows the result host-side and confirms it per response
// (a `Link` next header wins over page numbers; undeclared cursor places are looked up per response).

/** What detection decided about one operation. */
export type Detection =
  | { pagination: Pagination }
  /** A list-like operation that is not paged, and why. */
  | { skipped: string }
  /** Not a list-like operation. */
  | undefined;

const PAGE_NAMES = ['page', 'page_number', 'pageNumber'];
const PAGE_SIZE_NAMES = [
  'per_page',
  'perPage',
  'page_size',
  'pageSize',
  'limit',
  'max_results',
  'maxResults',
  'count',
];
const OFFSET_NAMES = ['offset', 'skip'];
/** Parameters whose name alone says "the cursor from the previous page" (`pageToken`, `next_page_token`, …). */
const CURSOR_NAME =
  /^(?:cursor|page_?cursor|start_?cursor|(?:next_?)?page_?token|next_?token|continuation_?token|starting_after)$/i;
/** Parameters that are a cursor only with more evidence: a string type and a next cursor or a description. */
const WEAK_CURSOR_NAMES = ['after', 'marker', 'offset', 'page', 'since'];
/** Names a list of items commonly has, for results with several lists. */
const LIST_NAMES = ['data', 'items', 'results', 'values', 'entries', 'records', 'nodes', 'members'];
const CURSOR_DESCRIPTION = /cursor|token|next page|pagination/i;

interface QueryParameter {
  key: string;
  schema: JSONSchema | undefined;
  description: string;
}

/** Where the items are: '' (the result), a property name, `unknown` (no schema), or several candidates. */
type ItemsAt = { path: string } | { unknown: true } | { none: true } | { several: string[] };

export function detectPagination(
  operation: OperationModel,
  input: InputShape,
  output: JSONSchema,
  view: SchemaView,
): Detection {
  const query = queryParameters(input, view);
  const find = (names: readonly string[], type?: 'string' | 'number') =>
    names
      .map((name) => query.get(name))
      .find(
        (parameter) => parameter !== undefined && (type === undefined || typeMatches(parameter, type, view)),
      );
  const items = itemsOf(output, view);
  const pageSize = find(PAGE_SIZE_NAMES, 'number');
  const page = find(PAGE_NAMES, 'number');
  const offset = find(OFFSET_NAMES, 'number');
  const cursor = cursorParameter(query, output, view);
  const documentsLink = operation.response.headers?.includes('link') === true;
  const pagingParameter = [page, offset, cursor, pageSize, query.get('since'), query.get('before')].find(
    (parameter) => parameter !== undefined,
  );
  // Operations that page or look like listings (for reports of what was not detected): a paging-like
  // parameter, a documented Link header, or a read returning a list.
  const listLike =
    pagingParameter !== undefined ||
    documentsLink ||
    (operation.method === 'GET' && 'path' in items && (items.path === '' || LIST_NAMES.includes(items.path)));
  if (!listLike) return undefined;
  if ('several' in items) return { skipped: `the response has several lists (${items.several.join(', ')})` };
  const sizeFields = pageSize === undefined ? {} : pageSizeFields(pageSize);
  const itemsField = 'path' in items ? { items: items.path } : {};

  if (documentsLink && pagingParameter !== undefined) {
    if ('none' in items) return { skipped: 'a Link header is documented but the response has no list' };
    return { pagination: { style: 'link', ...itemsField, ...sizeFields } };
  }
  if (cursor !== undefined) {
    if ('none' in items)
      return { skipped: `a cursor parameter (${cursor.key}) but the response has no list` };
    const lastItem =
      cursor.key === 'starting_after' ? stripeCursor(output, itemsField.items, view) : undefined;
    const next = lastItem === undefined ? nextCursorPlace(output, cursor.key, view) : undefined;
    const hasMore = view.at(output, 'has_more') !== undefined ? 'has_more' : undefined;
    return {
      pagination: {
        style: 'cursor',
        cursorInput: cursor.key,
        ...itemsField,
        ...(lastItem === undefined ? {} : { cursorFromLastItem: lastItem }),
        ...(next === undefined ? {} : { nextCursor: next }),
        ...(hasMore === undefined ? {} : { hasMore }),
        ...sizeFields,
      },
    };
  }
  if (offset !== undefined || page !== undefined) {
    const name = offset !== undefined ? 'offset' : 'page';
    if (!('path' in items)) {
      return {
        skipped: `a ${name} parameter (${(offset ?? page)!.key}) but ${'none' in items ? 'the response has no list' : 'no response schema to find the items in'}`,
      };
    }
    if (offset !== undefined) {
      return { pagination: { style: 'offset', offsetInput: offset.key, ...itemsField, ...sizeFields } };
    }
    const first = firstPage(page!.schema);
    return {
      pagination: {
        style: 'page',
        pageInput: page!.key,
        ...(first === 1 ? {} : { firstPage: first }),
        ...itemsField,
        ...sizeFields,
      },
    };
  }
  if (documentsLink)
    return { skipped: 'a Link header is documented but the operation takes no paging parameter' };
  if (pagingParameter !== undefined) {
    return {
      skipped: `a paging-like parameter (${pagingParameter.key}) but no page, offset or cursor parameter`,
    };
  }
  return { skipped: 'a list without paging parameters (a complete list)' };
}

function queryParameters(input: InputShape, view: SchemaView): Map<string, QueryParameter> {
  const { properties } = input;
  const parameters = new Map<string, QueryParameter>();
  for (const parameter of input.parameters) {
    if (parameter.in !== 'query' || parameter.key !== parameter.name) continue;
    const schema = view.settle(properties[parameter.key]);
    const description = [parameter.description, schema?.description]
      .filter((text): text is string => typeof text === 'string')
      .join(' ');
    parameters.set(parameter.key, { key: parameter.key, schema, description });
  }
  return parameters;
}

function typeMatches(parameter: QueryParameter, type: 'string' | 'number', view: SchemaView): boolean {
  const types = view.types(parameter.schema);
  if (types.length === 0) return type !== 'number';
  return type === 'number' ? types.includes('integer') || types.includes('number') : types.includes('string');
}

function itemsOf(output: JSONSchema, view: SchemaView): ItemsAt {
  const settled = view.settle(output);
  if (settled === undefined || Object.keys(settled).length === 0) return { unknown: true };
  if (view.isArray(settled) || isUnionOfLists(settled, view)) return { path: '' };
  const properties = view.properties(settled);
  const lists = [...properties].filter(([, schema]) => view.isArray(schema)).map(([name]) => name);
  if (lists.length === 1) return { path: lists[0]! };
  if (lists.length === 0) {
    const nested = pagingObjectList(properties, view);
    if (nested !== undefined) return { path: nested };
    // A schema that declares nothing but scalars (Slack's default template, `{ ok: boolean }`) says nothing
    // about the payload: the list is found per response. One with objects describes a single resource.
    const scalarsOnly = [...properties.values()].every((schema) => {
      const types = view.types(schema);
      return types.length > 0 && !types.includes('object') && !types.includes('array');
    });
    return scalarsOnly && (view.types(settled).includes('object') || settled.properties !== undefined)
      ? { unknown: true }
      : { none: true };
  }
  const named = lists.filter((name) => LIST_NAMES.includes(name));
  if (named.length === 1) return { path: named[0]! };
  // One list of objects among lists of scalars (Slack's `messages` next to `channel_actions_ts`).
  const ofObjects = lists.filter((name) => {
    const item = view.settle(properties.get(name)?.items);
    return item !== undefined && (view.types(item).includes('object') || item.properties !== undefined);
  });
  return ofObjects.length === 1 ? { path: ofObjects[0]! } : { several: lists };
}

/** Fields that make an object a page of a list (Spotify's `{ albums: { items, next, offset, total } }`). */
const PAGE_FIELDS = ['next', 'total', 'offset', 'limit', 'has_more', 'next_cursor', 'cursors'];

/** `albums.items` when the result's only object property is a page object holding one list. */
function pagingObjectList(properties: Map<string, JSONSchema>, view: SchemaView): string | undefined {
  const objects = [...properties].filter(
    ([, schema]) => view.types(schema).includes('object') || schema.properties,
  );
  if (objects.length !== 1) return undefined;
  const [name, inner] = objects[0]!;
  const fields = view.properties(inner);
  const lists = [...fields].filter(([, schema]) => view.isArray(schema)).map(([field]) => field);
  if (lists.length !== 1 || !PAGE_FIELDS.some((field) => fields.has(field))) return undefined;
  return `${name}.${lists[0]}`;
}

/** `A[] | B[]` (GitHub's stargazers, by media type): the result is the list. */
function isUnionOfLists(schema: JSONSchema, view: SchemaView): boolean {
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  return (
    Array.isArray(union) && union.length > 0 && union.every((branch) => view.isArray(view.settle(branch)))
  );
}

function cursorParameter(
  query: Map<string, QueryParameter>,
  output: JSONSchema,
  view: SchemaView,
): QueryParameter | undefined {
  for (const [name, parameter] of query) {
    if (!CURSOR_NAME.test(name) || !typeMatches(parameter, 'string', view)) continue;
    if (name === 'starting_after' && view.at(output, 'has_more') === undefined) continue;
    return parameter;
  }
  for (const name of WEAK_CURSOR_NAMES) {
    const parameter = query.get(name);
    if (parameter === undefined || !typeMatches(parameter, 'string', view)) continue;
    if (view.types(parameter.schema).length === 0) continue;
    if (nextCursorPlace(output, name, view) !== undefined || CURSOR_DESCRIPTION.test(parameter.description)) {
      return parameter;
    }
  }
  return undefined;
}

/** The first of the usual next-cursor places the response schema declares as a string. */
function nextCursorPlace(output: JSONSchema, input: string, view: SchemaView): string | undefined {
  for (const template of NEXT_CURSOR_PLACES) {
    const place = template.replace('{input}', input);
    const schema = view.at(output, place);
    if (schema === undefined) continue;
    const types = view.types(schema);
    if (types.includes('string') || types.includes('integer') || types.includes('number')) return place;
  }
  return undefined;
}

/** Stripe lists: `starting_after` takes the last item's `id`. */
function stripeCursor(output: JSONSchema, items: string | undefined, view: SchemaView): string | undefined {
  if (items === undefined) return undefined;
  const list = items === '' ? view.settle(output) : view.at(output, items);
  const item = view.settle(list?.items);
  // An item schema without properties (a union of types) still has ids in Stripe's lists.
  const properties = view.properties(item);
  return properties.size === 0 || properties.has('id') ? 'id' : undefined;
}

function pageSizeFields(parameter: QueryParameter): { pageSizeInput: string; maxPageSize?: number } {
  const max = largestPageSize(parameter);
  return max === undefined
    ? { pageSizeInput: parameter.key }
    : { pageSizeInput: parameter.key, maxPageSize: max };
}

const MAX_PAGE_SIZE_PATTERNS = [
  /\bmax(?:imum)?\b[^0-9.]{0,15}?(\d{1,5})\b/i,
  /\bbetween\s+\d+\s*(?:-|and|to)\s*(\d{1,5})\b/i,
  /\bno (?:larger|greater|more) than\s+(\d{1,5})\b/i,
];

/** The documented largest page size: the schema's `maximum`, else a number the description gives. */
function largestPageSize(parameter: QueryParameter): number | undefined {
  const maximum = parameter.schema?.maximum;
  if (typeof maximum === 'number' && Number.isInteger(maximum) && maximum > 0) return maximum;
  for (const pattern of MAX_PAGE_SIZE_PATTERNS) {
    const match = pattern.exec(parameter.description);
    const value = match ? Number(match[1]) : undefined;
    if (value !== undefined && value > 0 && value <= 10_000) return value;
  }
  return undefined;
}

function firstPage(schema: JSONSchema | undefined): number {
  for (const value of [schema?.default, schema?.minimum]) {
    if (value === 0 || value === 1) return value;
  }
  return 1;
}
