import type { APIDispatcher, ResolvedFunction, ToolInvocationContext } from '@agent-tool-protocol/protocol';
import type { OAuthCredentials } from './token-store.js';

/** Where a dispatcher wrapped by `withOAuthCredentials` gets credentials from (the engine's OAuth service). */
export interface OAuthCredentialSource {
  /** True when calls of functions in API group `group` need per-user OAuth credentials. */
  requiresCredentials(group: string): boolean;
  /**
   * Fresh credentials for a call of a function in `group` made by `clientId` (refreshed when expired),
   * or an `OAuthConsentRequiredError` naming where the user grants access.
   */
  credentialsFor(group: string, clientId: string): Promise<OAuthCredentials>;
}

/**
 * The invocation context a function of an OAuth group receives: `credentials`, and the same fields at
 * the top level (`context.accessToken`), so a handler written `(input, credentials) =>
 * credentials.accessToken`, as in the original ATP README, works.
 */
export type OAuthInvocationContext = ToolInvocationContext &
  Omit<OAuthCredentials, 'provider'> & { credentials: OAuthCredentials };

/**
 * Wraps `dispatcher` so functions of groups that need OAuth receive `context.credentials` on every call.
 * Other functions are returned unchanged; each wrapped function is built once (O(1) per call).
 */
export function withOAuthCredentials(
  dispatcher: APIDispatcher,
  source: OAuthCredentialSource,
): APIDispatcher {
  const wrapped = new WeakMap<ResolvedFunction, ResolvedFunction>();
  return {
    resolve: (path) => {
      const fn = dispatcher.resolve(path);
      if (fn === undefined || !source.requiresCredentials(fn.group)) return fn;
      let withCredentials = wrapped.get(fn);
      if (withCredentials === undefined) {
        withCredentials = {
          ...fn,
          call: async (input, context) => {
            const credentials = await source.credentialsFor(fn.group, context.clientId);
            const { provider: _provider, ...flat } = credentials;
            const invocation: OAuthInvocationContext = { ...context, ...flat, credentials };
            return fn.call(input, invocation);
          },
        };
        wrapped.set(fn, withCredentials);
      }
      return withCredentials;
    },
    suggest: (path, limit) => dispatcher.suggest(path, limit),
  };
}
