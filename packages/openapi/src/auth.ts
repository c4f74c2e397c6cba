import { ConfigError, ErrorCode, ToolCallError } from '@agent-tool-protocol/protocol';
import type { SecuritySchemeModel } from './model.js';
import type { OpenAPIAuth } from './options.js';

/** What an auth method adds to one request. Secrets are also listed so they can be redacted. */
export interface AuthParts {
  headers: Record<string, string>;
  query: [string, string][];
  cookies: string[];
  secrets: string[];
}

export interface AuthApplier {
  apply(
    parts: AuthParts,
    credentials: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<void> | void;
  /** The secret values this method would send (for redaction when it is not applied), without side effects. */
  secrets(credentials: Record<string, unknown> | undefined): string[];
  /** Forget cached tokens (after a 401); true when a retry may help. */
  invalidate?(): boolean;
}

function known(...values: (string | undefined)[]): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}

function fromEnv(envVar: string | undefined, what: string): string | undefined {
  if (envVar === undefined) return undefined;
  const value = process.env[envVar];
  if (value === undefined || value === '') {
    throw new ToolCallError(`${what}: environment variable ${envVar} is not set`, {
      code: ErrorCode.CONFIG_ERROR,
    });
  }
  return value;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined)
    throw new ToolCallError(`${what} is not configured`, { code: ErrorCode.CONFIG_ERROR });
  return value;
}

export function createAuthAppliers(
  auth: OpenAPIAuth | OpenAPIAuth[] | undefined,
  schemes: Record<string, SecuritySchemeModel>,
  fetchImpl: typeof fetch,
): AuthApplier[] {
  if (auth === undefined) return [];
  return (Array.isArray(auth) ? auth : [auth]).map((entry) => createAuthApplier(entry, schemes, fetchImpl));
}

function createAuthApplier(
  auth: OpenAPIAuth,
  schemes: Record<string, SecuritySchemeModel>,
  fetchImpl: typeof fetch,
): AuthApplier {
  switch (auth.scheme) {
    case 'bearer':
      if (auth.token === undefined && auth.envVar === undefined) {
        throw new ConfigError('auth.token or auth.envVar is required for bearer auth', [
          { path: 'auth.token', message: 'required' },
        ]);
      }
      return {
        apply(parts) {
          const token = auth.token ?? fromEnv(auth.envVar, 'bearer auth')!;
          parts.headers.authorization = `Bearer ${token}`;
          parts.secrets.push(token);
        },
        secrets: () => known(auth.token, auth.envVar && process.env[auth.envVar]),
      };
    case 'basic':
      return {
        apply(parts) {
          const username = required(
            auth.username ?? fromEnv(auth.usernameEnvVar, 'basic auth'),
            'auth.username',
          );
          // The password is optional: some APIs (Stripe) take the key as the username and no password.
          const password = auth.password ?? fromEnv(auth.passwordEnvVar, 'basic auth') ?? '';
          const encoded = Buffer.from(`${username}:${password}`).toString('base64');
          parts.headers.authorization = `Basic ${encoded}`;
          parts.secrets.push(...basicSecrets(auth, username, password));
        },
        secrets() {
          const username = auth.username ?? (auth.usernameEnvVar && process.env[auth.usernameEnvVar]);
          const password = auth.password ?? (auth.passwordEnvVar && process.env[auth.passwordEnvVar]);
          if (!username && !password) return [];
          return basicSecrets(auth, username || '', password || '');
        },
      };
    case 'apiKey':
      return createAPIKeyApplier(auth, schemes);
    case 'oauth2':
      return createClientCredentialsApplier(auth, schemes, fetchImpl);
    case 'oauth':
      return {
        apply(parts, credentials) {
          const token = credentials?.accessToken;
          if (typeof token !== 'string' || token === '') {
            throw new ToolCallError(
              'This API needs the user to connect their account: no access token was supplied',
              {
                code: ErrorCode.UNAUTHORIZED,
                httpStatus: 401,
              },
            );
          }
          parts.headers.authorization = `Bearer ${token}`;
          parts.secrets.push(token);
        },
        secrets: (credentials) => known(credentials?.accessToken as string | undefined),
      };
  }
}

/**
 * What basic auth must never reveal: the password, the `user:password` pair (and so the header), and the
 * username itself when it is the key (no password, as with Stripe's `sk_…:`) or when it is read from an
 * environment variable. A literal username next to a password is an identity, not a secret, and is kept.
 */
function basicSecrets(
  auth: Extract<OpenAPIAuth, { scheme: 'basic' }>,
  username: string,
  password: string,
): string[] {
  const usernameIsSecret =
    password === '' || (auth.username === undefined && auth.usernameEnvVar !== undefined);
  return known(password, `${username}:${password}`, usernameIsSecret ? username : undefined);
}

function createAPIKeyApplier(
  auth: Extract<OpenAPIAuth, { scheme: 'apiKey' }>,
  schemes: Record<string, SecuritySchemeModel>,
): AuthApplier {
  const fromSpec = Object.values(schemes).find((scheme) => scheme.type === 'apiKey');
  const location = auth.in ?? (fromSpec?.in as 'header' | 'query' | 'cookie' | undefined) ?? 'header';
  const name = auth.name ?? fromSpec?.name;
  if (name === undefined) {
    throw new ConfigError('auth.name is required: the spec declares no apiKey security scheme', [
      { path: 'auth.name', message: 'required' },
    ]);
  }
  if (auth.value === undefined && auth.envVar === undefined) {
    throw new ConfigError('auth.value or auth.envVar is required for apiKey auth', [
      { path: 'auth.value', message: 'required' },
    ]);
  }
  return {
    apply(parts) {
      const value = auth.value ?? fromEnv(auth.envVar, 'apiKey auth')!;
      parts.secrets.push(value, encodeURIComponent(value));
      if (location === 'query') parts.query.push([name, value]);
      else if (location === 'cookie') parts.cookies.push(`${name}=${encodeURIComponent(value)}`);
      else parts.headers[name.toLowerCase()] = value;
    },
    secrets: () => known(auth.value, auth.envVar && process.env[auth.envVar]),
  };
}

/** OAuth2 client credentials: one cached token per group, refreshed 30 s before it expires. */
function createClientCredentialsApplier(
  auth: Extract<OpenAPIAuth, { scheme: 'oauth2' }>,
  schemes: Record<string, SecuritySchemeModel>,
  fetchImpl: typeof fetch,
): AuthApplier {
  const tokenUrl = auth.tokenUrl ?? Object.values(schemes).find((scheme) => scheme.tokenUrl)?.tokenUrl;
  if (tokenUrl === undefined) {
    throw new ConfigError('auth.tokenUrl is required: the spec declares no clientCredentials flow', [
      { path: 'auth.tokenUrl', message: 'required' },
    ]);
  }
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<{ token: string; expiresAt: number }> | undefined;

  async function requestToken(signal?: AbortSignal): Promise<{ token: string; expiresAt: number }> {
    const clientId = required(auth.clientId ?? fromEnv(auth.clientIdEnvVar, 'oauth2 auth'), 'auth.clientId');
    const clientSecret = required(
      auth.clientSecret ?? fromEnv(auth.clientSecretEnvVar, 'oauth2 auth'),
      'auth.clientSecret',
    );
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scopes?.length) form.set('scope', auth.scopes.join(' '));
    if (auth.audience) form.set('audience', auth.audience);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (auth.clientAuth === 'body') {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    } else {
      const basic = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    let response: Response;
    try {
      // Never followed: a redirect would carry the client secret to wherever it points.
      response = await fetchImpl(tokenUrl!, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal,
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new ToolCallError(`OAuth2 token request failed: network error (${cause})`, { retryable: true });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string') {
      const redirected =
        response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
      throw new ToolCallError(`OAuth2 token request failed: HTTP ${response.status}${redirected}`, {
        code: ErrorCode.HTTP_ERROR,
        status: response.status,
      });
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    return { token: body.access_token, expiresAt: Date.now() + lifetime * 1000 };
  }

  const secrets = () =>
    known(cached?.token, auth.clientSecret, auth.clientSecretEnvVar && process.env[auth.clientSecretEnvVar]);

  return {
    async apply(parts, _credentials, signal) {
      if (cached === undefined || cached.expiresAt - 30_000 <= Date.now()) {
        pending ??= requestToken(signal).finally(() => {
          pending = undefined;
        });
        cached = await pending;
      }
      parts.headers.authorization = `Bearer ${cached.token}`;
      parts.secrets.push(...secrets());
    },
    secrets,
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}
