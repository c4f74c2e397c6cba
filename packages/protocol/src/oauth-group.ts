import type { APIGroup, FunctionCallContext, FunctionDef } from './api.js';
import type { OAuthProvider } from './providers.js';

/**
 * The user's credentials an `oauth` group's handler receives (never the refresh token). A type rather
 * than an interface so it is a `Record<string, unknown>`, like `FunctionCallContext.credentials`.
 */
export type OAuthCallCredentials = {
  provider: string;
  accessToken: string;
  tokenType: string;
  /** Epoch ms, when the provider said. */
  expiresAt?: number;
  scope?: string;
};

/**
 * What a function of an `oauth` group receives besides its input: the call context with the caller's
 * fresh credentials, also flattened (`credentials.accessToken`, as the original ATP README writes it).
 * The server guarantees them: without consent the call fails before the handler runs.
 */
export interface OAuthCallContext extends FunctionCallContext {
  accessToken: string;
  tokenType: string;
  credentials: OAuthCallCredentials;
}

/** A function of an `oauth` group: `handler: async (input, credentials) => … credentials.accessToken`. */
export interface OAuthFunctionDef extends Omit<FunctionDef, 'handler'> {
  handler: (input: any, credentials: OAuthCallContext) => unknown | Promise<unknown>;
}

/**
 * An API group whose functions act as the user through `oauthProvider`, as in the original ATP README:
 * `server.addAPIGroup({ name: 'gmail', type: 'oauth', oauthProvider, functions })`. Adding one registers the
 * provider, serves its consent callback at the path of its `redirectUri`, and passes each caller's
 * credentials to the handlers.
 */
export interface OAuthAPIGroup extends Omit<APIGroup, 'type' | 'functions' | 'oauthProvider'> {
  type: 'oauth';
  oauthProvider: OAuthProvider;
  functions: OAuthFunctionDef[];
}
