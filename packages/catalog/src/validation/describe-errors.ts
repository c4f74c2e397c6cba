import { editDistance, type FieldIssue } from '@agent-tool-protocol/protocol';
import type { ErrorObject } from 'ajv';

// The validator's errors as sentences an agent can act on in one try: the path as it would write it
// (`input.items[0].email`), what was expected (with the allowed values of an enum) and what it got.

const MAX_VALUES_SHOWN = 20;
const MAX_VALUE_CHARS = 60;
const MAX_PROPERTIES_LISTED = 12;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_NAMES: Record<string, string> = {
  email: 'an email address',
  'date-time': 'a date-time (RFC 3339, e.g. "2024-05-01T12:00:00Z")',
  date: 'a date (YYYY-MM-DD)',
  time: 'a time (HH:MM:SS with a time zone)',
  uri: 'an absolute URI',
  url: 'a URL',
  'uri-reference': 'a URI reference',
  uuid: 'a UUID',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  hostname: 'a host name',
  byte: 'base64 text',
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  duration: 'an ISO 8601 duration',
  regex: 'a regular expression',
};

/** A JSON value, shortened for a message: `"enterprise"`, `5`, `null`, `an object`, `an array of 3 items`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…"` : text;
}

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_VALUES_SHOWN).map((value) => JSON.stringify(value) ?? String(value));
  const more = values.length > MAX_VALUES_SHOWN ? `, … (${values.length} values)` : '';
  return `${shown.join(', ')}${more}`;
}

function typeName(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((item) => TYPE_NAMES[String(item)] ?? String(item)).join(' or ');
}

/** `/items/0/first name` under `input` → `input.items[0]["first name"]`. */
export function pathOf(root: string, instancePath: string, child?: string): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/');
  if (child !== undefined) segments.push(child.replace(/~/g, '~0').replace(/\//g, '~1'));
  let path = root;
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9][0-9]*)$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** A short description of one alternative of an `anyOf`/`oneOf`, for "must match one of …". */
function describeAlternative(schema: unknown): string {
  if (typeof schema === 'boolean') return schema ? 'anything' : 'nothing';
  if (typeof schema !== 'object' || schema === null) return 'a value';
  const record = schema as Record<string, unknown>;
  if ('const' in record) return describeValue(record.const);
  if (Array.isArray(record.enum)) return `one of ${listValues(record.enum)}`;
  if (typeof record.$ref === 'string') return record.$ref.slice(record.$ref.lastIndexOf('/') + 1);
  const properties =
    typeof record.properties === 'object' && record.properties !== null
      ? Object.keys(record.properties).slice(0, 5)
      : [];
  if (properties.length > 0) return `an object with ${properties.join(', ')}`;
  if (record.type !== undefined) return typeName(record.type);
  if (typeof record.title === 'string') return record.title;
  return 'a value';
}

/** "did you mean" for an unknown property: the closest declared name within a few edits. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.ceil(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase(), limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function unknownProperty(root: string, error: ErrorObject, property: string): FieldIssue {
  const declared = Object.keys(
    ((error.parentSchema as Record<string, unknown> | undefined)?.properties as object | undefined) ?? {},
  );
  const path = pathOf(root, error.instancePath, property);
  const suggestion = closestName(property, declared);
  let message = 'is not an allowed property';
  if (suggestion !== undefined) message += `; did you mean ${JSON.stringify(suggestion)}?`;
  else if (declared.length > 0 && declared.length <= MAX_PROPERTIES_LISTED)
    message += ` (allowed: ${declared.map((name) => JSON.stringify(name)).join(', ')})`;
  return { path, message };
}

function got(error: ErrorObject): string {
  return `; got ${describeValue(error.data)}`;
}

/** One validator error as a field issue; undefined for errors that only summarize others. */
function describeError(root: string, error: ErrorObject): FieldIssue | undefined {
  const params = error.params as Record<string, unknown>;
  const path = pathOf(root, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return {
        path: pathOf(root, error.instancePath, String(params.missingProperty)),
        message: 'is required',
      };
    case 'dependentRequired':
    case 'dependencies':
      return {
        path: pathOf(root, error.instancePath, String(params.missingProperty)),
        message: `is required when ${JSON.stringify(params.property)} is given`,
      };
    case 'additionalProperties':
      return unknownProperty(root, error, String(params.additionalProperty));
    case 'unevaluatedProperties':
      return unknownProperty(root, error, String(params.unevaluatedProperty));
    case 'type':
      return { path, message: `must be ${typeName(params.type)}${got(error)}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${listValues((params.allowedValues as unknown[]) ?? [])}${got(error)}`,
      };
    case 'const':
      return { path, message: `must be ${describeValue(params.allowedValue)}${got(error)}` };
    case 'format': {
      const format = String(params.format);
      return { path, message: `must be ${FORMAT_NAMES[format] ?? `in format "${format}"`}${got(error)}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${String(params.comparison)} ${String(params.limit)}${got(error)}` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${String(params.multipleOf)}${got(error)}` };
    case 'minLength':
      return { path, message: `must have at least ${String(params.limit)} characters${got(error)}` };
    case 'maxLength':
      return { path, message: `must have at most ${String(params.limit)} characters${got(error)}` };
    case 'pattern':
      return { path, message: `must match the pattern ${JSON.stringify(params.pattern)}${got(error)}` };
    case 'minItems':
      return { path, message: `must have at least ${String(params.limit)} items${got(error)}` };
    case 'maxItems':
      return { path, message: `must have at most ${String(params.limit)} items${got(error)}` };
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return { path, message: `must not repeat items (items ${first} and ${second} are equal)` };
    }
    case 'items':
    case 'additionalItems':
      return { path, message: `must have at most ${String(params.limit)} items${got(error)}` };
    case 'minProperties':
      return { path, message: `must have at least ${String(params.limit)} properties` };
    case 'maxProperties':
      return { path, message: `must have at most ${String(params.limit)} properties` };
    case 'contains':
      return { path, message: 'must contain a matching item' };
    case 'not':
      return { path, message: `must not match the excluded shape${got(error)}` };
    case 'false schema':
      return { path, message: 'is not allowed' };
    case 'anyOf':
    case 'oneOf': {
      const alternatives = Array.isArray(error.schema) ? error.schema.map(describeAlternative) : [];
      const unique = [...new Set(alternatives)];
      const list = unique.length > 0 ? `: ${unique.join(' | ')}` : '';
      return { path, message: `must match one of the allowed shapes${list}${got(error)}` };
    }
    case 'if':
    case 'propertyNames':
      return undefined; // the errors of `then`/`else` or of the property name say what is wrong
    default:
      return { path, message: error.message ?? `fails "${error.keyword}"` };
  }
}

/**
 * Errors that only explain why one alternative of an `anyOf` failed are left out: the `anyOf` error
 * itself lists the alternatives. They are the errors just before it, at or under its instance path,
 * from its alternatives (schema path under it) or from schemas they reference (another schema path).
 */
function withoutAlternativeDetails(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<number>();
  for (let index = errors.length - 1; index >= 0; index--) {
    const error = errors[index]!;
    if (dropped.has(index) || (error.keyword !== 'anyOf' && error.keyword !== 'oneOf')) continue;
    const own = error.schemaPath;
    const parent = own.slice(0, own.lastIndexOf('/'));
    for (let before = index - 1; before >= 0; before--) {
      const candidate = errors[before]!;
      const under =
        candidate.instancePath === error.instancePath ||
        candidate.instancePath.startsWith(`${error.instancePath}/`);
      const fromAlternative =
        candidate.schemaPath.startsWith(`${own}/`) || !candidate.schemaPath.startsWith(`${parent}/`);
      if (!under || !fromAlternative) break;
      dropped.add(before);
    }
  }
  return errors.filter((_, index) => !dropped.has(index));
}

/** A type error next to an enum or const error at the same place says less: the list of values wins. */
function withoutRedundantTypes(errors: readonly ErrorObject[]): ErrorObject[] {
  const listed = new Set(
    errors
      .filter((error) => error.keyword === 'enum' || error.keyword === 'const')
      .map((error) => error.instancePath),
  );
  return errors.filter((error) => error.keyword !== 'type' || !listed.has(error.instancePath));
}

/** The validator's errors as field issues under `root` (`input` or `output`), duplicates removed. */
export function describeErrors(root: string, errors: readonly ErrorObject[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const error of withoutRedundantTypes(withoutAlternativeDetails(errors))) {
    const issue = describeError(root, error);
    if (!issue) continue;
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
