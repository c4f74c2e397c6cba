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
 * Which alternative of the `anyOf`/`oneOf` error `choice` produced `error`: from its schema path
 * (`#/anyOf/1/…`), else — for errors inside a `$ref`'d schema — from the property it is under, when exactly
 * one alternative declares that property. Undefined when it cannot be told.
 */
function alternativeOf(choice: ErrorObject, error: ErrorObject): number | undefined {
  const prefix = `${choice.schemaPath}/`;
  if (error.schemaPath.startsWith(prefix)) {
    const index = Number(error.schemaPath.slice(prefix.length).split('/')[0]);
    return Number.isInteger(index) ? index : undefined;
  }
  const relative = error.instancePath.slice(choice.instancePath.length);
  const property = relative.split('/')[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
  if (property === undefined || !Array.isArray(choice.schema)) return undefined;
  const declaring = (choice.schema as unknown[]).flatMap((alternative, index) => {
    const properties = (alternative as { properties?: unknown } | null)?.properties;
    return typeof properties === 'object' && properties !== null && Object.hasOwn(properties, property)
      ? [index]
      : [];
  });
  return declaring.length === 1 ? declaring[0] : undefined;
}

/** How many of the value's own keys `alternative` declares as properties (0 for a non-object). */
function declaredKeys(alternative: unknown, value: unknown): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 0;
  const properties = (alternative as { properties?: unknown } | null)?.properties;
  if (typeof properties !== 'object' || properties === null) return 0;
  return Object.keys(value).filter((key) => Object.hasOwn(properties, key)).length;
}

/**
 * The alternative whose errors explain the failure: the one declaring the most of the value's keys (the
 * flat or the nested form of an OpenAPI body, say), else on a tie the one with the fewest errors.
 * Undefined when that does not single one out, or an error cannot be attributed to an alternative.
 */
function bestAlternative(choice: ErrorObject, members: readonly ErrorObject[]): number | undefined {
  const byAlternative = new Map<number, number>();
  for (const member of members) {
    const alternative = alternativeOf(choice, member);
    if (alternative === undefined) return undefined;
    byAlternative.set(alternative, (byAlternative.get(alternative) ?? 0) + 1);
  }
  const alternatives = Array.isArray(choice.schema) ? (choice.schema as unknown[]) : [];
  const ranked = [...byAlternative].map(([index, errors]) => ({
    index,
    errors,
    declared: declaredKeys(alternatives[index], choice.data),
  }));
  ranked.sort((a, b) => b.declared - a.declared || a.errors - b.errors);
  const [first, second] = ranked;
  if (!first) return undefined;
  if (second && second.declared === first.declared && second.errors === first.errors) return undefined;
  return first.index;
}

/**
 * True when `candidate` comes from a keyword next to the `anyOf`/`oneOf` of `choice` (in the schema that
 * holds it), rather than from inside one of its alternatives or a schema they reference. An error inside
 * a referenced schema has a schema path relative to that schema, which may look like a sibling's: it is
 * one only if following that path from the holding schema reaches the error's own schema.
 */
function isSiblingOf(choice: ErrorObject, candidate: ErrorObject, parent: string): boolean {
  if (!candidate.schemaPath.startsWith(`${parent}/`)) return false;
  const segments = candidate.schemaPath
    .slice(parent.length + 1)
    .split('/')
    .slice(0, -1);
  let node: unknown = choice.parentSchema;
  for (const raw of segments) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node === candidate.parentSchema;
}

/**
 * Each failed `anyOf`/`oneOf` is explained by one alternative when one matches the value best (see
 * `bestAlternative`): that alternative's errors are kept and the others dropped, with the choice itself. Otherwise the choice's own error lists the alternatives, and the errors that only
 * explain why each alternative failed are left out. Those are the errors just before it, at or under its
 * instance path, from its alternatives (schema path under it) or from schemas they reference (any error
 * that is not from a sibling keyword of the choice).
 */
function withoutAlternativeDetails(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<number>();
  for (let index = errors.length - 1; index >= 0; index--) {
    const error = errors[index]!;
    if (dropped.has(index) || (error.keyword !== 'anyOf' && error.keyword !== 'oneOf')) continue;
    const own = error.schemaPath;
    const parent = own.slice(0, own.lastIndexOf('/'));
    const members: number[] = [];
    for (let before = index - 1; before >= 0; before--) {
      const candidate = errors[before]!;
      const under =
        candidate.instancePath === error.instancePath ||
        candidate.instancePath.startsWith(`${error.instancePath}/`);
      const fromAlternative =
        candidate.schemaPath.startsWith(`${own}/`) || !isSiblingOf(error, candidate, parent);
      if (!under || !fromAlternative) break;
      members.push(before);
    }
    const best = bestAlternative(
      error,
      members.map((member) => errors[member]!),
    );
    if (best === undefined) {
      for (const member of members) dropped.add(member);
      continue;
    }
    dropped.add(index);
    for (const member of members) if (alternativeOf(error, errors[member]!) !== best) dropped.add(member);
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
