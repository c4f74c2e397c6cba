import type { BodyModel, EncodingModel, ParameterModel } from './model.js';

export type RequestBody = NonNullable<RequestInit['body']>;

const RESERVED = /%(3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;

function encode(value: string, allowReserved = false): string {
  const encoded = encodeURIComponent(value);
  return allowReserved ? encoded.replace(RESERVED, (match) => decodeURIComponent(match)) : encoded;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path parameter with style simple (default), label or matrix. */
export function serializePathParameter(parameter: ParameterModel, value: unknown): string {
  if (parameter.json) return encode(JSON.stringify(value));
  const { style, explode, name } = parameter;
  const enc = (v: unknown) => encode(scalar(v), parameter.allowReserved);
  if (Array.isArray(value)) {
    const items = value.map(enc);
    if (style === 'label') return `.${items.join(explode ? '.' : ',')}`;
    if (style === 'matrix')
      return explode ? items.map((i) => `;${name}=${i}`).join('') : `;${name}=${items.join(',')}`;
    return items.join(',');
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const pairs = explode
      ? entries.map(([k, v]) => `${encode(k)}=${enc(v)}`)
      : entries.flatMap(([k, v]) => [encode(k), enc(v)]);
    if (style === 'label') return `.${pairs.join(explode ? '.' : ',')}`;
    if (style === 'matrix')
      return explode ? pairs.map((p) => `;${p}`).join('') : `;${name}=${pairs.join(',')}`;
    return pairs.join(',');
  }
  if (style === 'label') return `.${enc(value)}`;
  if (style === 'matrix') return `;${name}=${enc(value)}`;
  return enc(value);
}

const DELIMITERS: Record<string, string> = { spaceDelimited: ' ', pipeDelimited: '|', tabDelimited: '\t' };

/** `key=value` pairs (already encoded) for a query parameter in any OpenAPI style. */
export function serializeQueryParameter(parameter: ParameterModel, value: unknown): string[] {
  const { name, style, explode, allowReserved } = parameter;
  const key = encode(name);
  const enc = (v: unknown) => encode(scalar(v), allowReserved);
  if (parameter.json) return [`${key}=${encode(JSON.stringify(value))}`];
  if (style === 'deepObject') return deepObjectPairs(name, value).map(([k, v]) => `${encode(k)}=${enc(v)}`);
  if (Array.isArray(value)) {
    if (explode) return value.map((item) => `${key}=${enc(item)}`);
    const delimiter = DELIMITERS[style] ?? ',';
    return [`${key}=${value.map(enc).join(delimiter === ',' ? ',' : encode(delimiter))}`];
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (explode) return entries.map(([k, v]) => `${encode(k)}=${enc(v)}`);
    return [`${key}=${entries.flatMap(([k, v]) => [encode(k), enc(v)]).join(',')}`];
  }
  return [`${key}=${enc(value)}`];
}

/** `filter[status]=open`, nested objects and arrays as `a[b][0]=v`. */
export function deepObjectPairs(prefix: string, value: unknown): [string, unknown][] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => deepObjectPairs(`${prefix}[${index}]`, item));
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .flatMap(([k, v]) => deepObjectPairs(`${prefix}[${k}]`, v));
  }
  return [[prefix, value]];
}

/** A header value (style simple). */
export function serializeHeaderParameter(parameter: ParameterModel, value: unknown): string {
  if (parameter.json) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(scalar).join(',');
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return parameter.explode
      ? entries.map(([k, v]) => `${k}=${scalar(v)}`).join(',')
      : entries.flatMap(([k, v]) => [k, scalar(v)]).join(',');
  }
  return scalar(value);
}

/** `name=value` for the Cookie header (style form). */
export function serializeCookieParameter(parameter: ParameterModel, value: unknown): string {
  const text = parameter.json
    ? JSON.stringify(value)
    : Array.isArray(value)
      ? value.map(scalar).join(',')
      : isPlainObject(value)
        ? Object.entries(value)
            .flatMap(([k, v]) => [k, scalar(v)])
            .join(',')
        : scalar(value);
  return `${parameter.name}=${encodeURIComponent(text)}`;
}

/** The fetch body (and its content type, unless fetch sets it) for a request body value. */
export function encodeBody(
  body: BodyModel,
  value: unknown,
  binaryFields: ReadonlySet<string> = new Set(),
): { payload: RequestBody; contentType?: string } {
  switch (body.kind) {
    case 'json':
      return { payload: JSON.stringify(value), contentType: body.contentType };
    case 'form':
      return { payload: encodeForm(value, body.encoding), contentType: 'application/x-www-form-urlencoded' };
    case 'multipart':
      return { payload: encodeMultipart(value, body.encoding, binaryFields) };
    case 'text':
      return { payload: scalar(value), contentType: body.contentType };
    default:
      return { payload: toBinary(value), contentType: body.contentType };
  }
}

/**
 * Form bodies: scalars `k=v`, arrays repeated (`k=a&k=b`, or joined for a non-exploded encoding), objects in
 * bracket notation (`k[a]=1`, what Stripe-style APIs read) unless the encoding asks for style `form`.
 */
function encodeForm(value: unknown, encoding: Record<string, EncodingModel>): string {
  const pairs: string[] = [];
  const add = (k: string, v: unknown) => pairs.push(`${formEncode(k)}=${formEncode(scalar(v))}`);
  if (!isPlainObject(value)) return '';
  for (const [name, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const rule = encoding[name] ?? {};
    if (rule.contentType?.includes('json')) add(name, JSON.stringify(field));
    else if (Array.isArray(field) && rule.style !== 'deepObject') {
      if (rule.explode === false) add(name, field.map(scalar).join(DELIMITERS[rule.style ?? ''] ?? ','));
      else for (const item of field) add(name, item);
    } else if (isPlainObject(field) && rule.style === 'form') {
      for (const [k, v] of Object.entries(field)) add(k, v);
    } else if (isPlainObject(field) || Array.isArray(field)) {
      for (const [k, v] of deepObjectPairs(name, field)) add(k, v);
    } else add(name, field);
  }
  return pairs.join('&');
}

function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/** Multipart: scalars as fields, objects as JSON parts, binary values and `format: binary` strings as files. */
function encodeMultipart(
  value: unknown,
  encoding: Record<string, EncodingModel>,
  binaryFields: ReadonlySet<string>,
): FormData {
  const form = new FormData();
  if (!isPlainObject(value)) return form;
  for (const [name, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const contentType = encoding[name]?.contentType;
    const items = Array.isArray(field) && !contentType?.includes('json') ? field : [field];
    for (const item of items) {
      if (item instanceof Blob) form.append(name, item, name);
      else if (item instanceof Uint8Array || item instanceof ArrayBuffer) {
        form.append(
          name,
          new Blob([item as Uint8Array<ArrayBuffer>], { type: contentType ?? 'application/octet-stream' }),
          name,
        );
      } else if (typeof item === 'object' && item !== null) {
        form.append(name, new Blob([JSON.stringify(item)], { type: 'application/json' }));
      } else if (binaryFields.has(name) || (contentType && !contentType.startsWith('text/plain'))) {
        form.append(
          name,
          new Blob([scalar(item)], { type: contentType ?? 'application/octet-stream' }),
          name,
        );
      } else form.append(name, scalar(item));
    }
  }
  return form;
}

function toBinary(value: unknown): RequestBody {
  if (value instanceof Uint8Array || value instanceof Blob || value instanceof ArrayBuffer)
    return value as RequestBody;
  return scalar(value);
}
