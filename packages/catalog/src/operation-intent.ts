// What an HTTP operation does, read from its method and path alone (REST semantics, no API's own
// vocabulary): `POST /repos/{owner}/{repo}/issues` creates an issue, `GET` on a collection lists,
// `GET` on an item gets, `PUT`/`PATCH` update, `DELETE` deletes. The words are added to the
// function's search text, and the few everyday verbs of each action (ACTION_VERBS) let a request's
// verb find them.

export type OperationAction = 'list' | 'get' | 'create' | 'update' | 'delete';

/**
 * Everyday verbs for each action: the general CRUD vocabulary (a method ↔ verb mapping), not words
 * of any API; "all" and "every" ask for a collection. A request's verb adds its action word to
 * the query.
 */
export const ACTION_VERBS: Readonly<Record<OperationAction, readonly string[]>> = {
  list: ['list', 'enumerate', 'all', 'every'],
  get: ['get', 'fetch', 'retrieve', 'read', 'show', 'view'],
  create: ['create', 'add', 'new', 'make', 'insert'],
  update: ['update', 'edit', 'change', 'modify', 'set'],
  delete: ['delete', 'remove', 'erase', 'destroy'],
};

const ACTION_OF_VERB: ReadonlyMap<string, OperationAction> = new Map(
  (Object.entries(ACTION_VERBS) as [OperationAction, readonly string[]][]).flatMap(([action, verbs]) =>
    verbs.map((verb) => [verb, action] as const),
  ),
);

/** The action a (lowercased) verb of a request names, if it is one of ACTION_VERBS. */
export function actionOfVerb(word: string): OperationAction | undefined {
  return ACTION_OF_VERB.get(word);
}

export interface OperationIntent {
  action?: OperationAction;
  /** Static path segments, outermost first (`/repos/{owner}/{repo}/issues` → repos, issues). */
  segments: string[];
}

const PARAMETER = /^\{[^}]*\}$|^:[A-Za-z_]/;

/**
 * The action and path words of an operation. RPC-style paths (`/chat.postMessage`: a dotted last
 * segment) carry no REST semantics, so they get no action; their words still count.
 */
export function operationIntent(method: string | undefined, path: string | undefined): OperationIntent {
  if (!path) return { segments: [] };
  const parts = path.split('/').filter((part) => part !== '');
  const segments = parts.filter((part) => !PARAMETER.test(part));
  const last = parts[parts.length - 1];
  if (!method || last === undefined || (!PARAMETER.test(last) && last.includes('.'))) return { segments };
  const onItem = PARAMETER.test(last);
  switch (method.toUpperCase()) {
    case 'GET':
      return { action: onItem ? 'get' : 'list', segments };
    case 'POST':
      return { action: onItem ? 'update' : 'create', segments };
    case 'PUT':
    case 'PATCH':
      return { action: 'update', segments };
    case 'DELETE':
      return { action: 'delete', segments };
    default:
      return { segments };
  }
}
