import { ErrorCode, ToolCallError } from '@agent-tool-protocol/protocol';

/** One entry of a GraphQL response's `errors`, as carried in `GraphQLCallError.details.errors`. */
export interface GraphQLErrorEntry {
  message: string;
  /** Where in the result the error happened, e.g. `['repository', 'issues', 'nodes', 0, 'author']`. */
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLCallErrorDetails {
  /** The function, e.g. `github.query_repository`. */
  operation: string;
  errors: GraphQLErrorEntry[];
  /** What the call returned despite the errors (the root field's value; `null` when there is none). */
  data: unknown;
  /** The HTTP status when the server did not answer 2xx. */
  status?: number;
}

/** A GraphQL response with `errors`: the messages and paths, and any partial data, in `details`. */
export class GraphQLCallError extends ToolCallError {
  declare readonly details: GraphQLCallErrorDetails;

  constructor(message: string, details: GraphQLCallErrorDetails) {
    super(message, {
      code: ErrorCode.GRAPHQL_ERROR,
      details,
      ...(details.status === undefined ? {} : { status: details.status }),
      retryable: details.status === 429 || (details.status !== undefined && details.status >= 500),
    });
  }
}

/** `errors` of a response, normalised: entries without a string message are described as JSON. */
export function errorEntries(raw: unknown): GraphQLErrorEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry): GraphQLErrorEntry => {
    if (typeof entry !== 'object' || entry === null) return { message: String(entry) };
    const record = entry as Record<string, unknown>;
    const out: GraphQLErrorEntry = {
      message: typeof record.message === 'string' ? record.message : JSON.stringify(entry),
    };
    if (Array.isArray(record.path)) {
      out.path = record.path.filter((part): part is string | number =>
        ['string', 'number'].includes(typeof part),
      );
    }
    if (Array.isArray(record.locations)) out.locations = record.locations as GraphQLErrorEntry['locations'];
    if (typeof record.extensions === 'object' && record.extensions !== null) {
      out.extensions = record.extensions as Record<string, unknown>;
    }
    return out;
  });
}

/** `github.query_repository failed: Could not resolve … (at repository.owner); and 2 more errors`. */
export function describeErrors(what: string, errors: readonly GraphQLErrorEntry[]): string {
  const [first] = errors;
  if (first === undefined) return `${what} failed`;
  const at = first.path && first.path.length > 0 ? ` (at ${first.path.join('.')})` : '';
  const more =
    errors.length > 1 ? `; and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}` : '';
  return `${what} failed: ${first.message}${at}${more}`;
}
