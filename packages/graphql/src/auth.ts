import { ConfigError, ErrorCode, ToolCallError } from '@agent-tool-protocol/protocol';
import type { GraphQLAuth } from './options.js';

/** What auth adds to one request. Secrets are listed so they can be redacted from anything echoed back. */
export interface AuthParts {
  headers: Record<string, string>;
  query: [string, string][];
  secrets: string[];
}

export interface AuthApplier {
  /** True for per-user OAuth: it needs the caller's credentials, so it cannot apply while loading. */
  readonly perUser: boolean;
  apply(parts: AuthParts, credentials: Record<string, unknown> | undefined): void;
}

function fromEnv(envVar: string, what: string): string {
  const value = process.env[envVar];
  if (value === undefined || value === '') {
    throw new ToolCallError(`${what}: environment variable ${envVar} is not set`, {
      code: ErrorCode.CONFIG_ERROR,
    });
  }
  return value;
}

export function createAuthAppliers(auth: GraphQLAuth | GraphQLAuth[] | undefined): AuthApplier[] {
  if (auth === undefined) return [];
  return (Array.isArray(auth) ? auth : [auth]).map((entry, index) =>
    createAuthApplier(entry, Array.isArray(auth) ? `auth[${index}]` : 'auth'),
  );
}

function createAuthApplier(auth: GraphQLAuth, where: string): AuthApplier {
  switch (auth.scheme) {
    case 'bearer': {
      const literal = auth.token ?? auth.value;
      const envVar = auth.envVar;
      if (literal === undefined && envVar === undefined) {
        throw new ConfigError(`${where}.token or ${where}.envVar is required for bearer auth`, [
          { path: `${where}.token`, message: 'required' },
        ]);
      }
      return {
        perUser: false,
        apply(parts) {
          const token = literal ?? fromEnv(envVar!, 'bearer auth');
          parts.headers.authorization = `Bearer ${token}`;
          parts.secrets.push(token);
        },
      };
    }
    case 'basic':
      if (
        auth.username === undefined &&
        auth.usernameEnvVar === undefined &&
        auth.password === undefined &&
        auth.passwordEnvVar === undefined
      ) {
        throw new ConfigError(`${where}.username or ${where}.usernameEnvVar is required for basic auth`, [
          { path: `${where}.username`, message: 'required' },
        ]);
      }
      return {
        perUser: false,
        apply(parts) {
          const username =
            auth.username ?? (auth.usernameEnvVar ? fromEnv(auth.usernameEnvVar, 'basic auth') : '');
          // The password is optional: some APIs take the key as the username and no password.
          const password =
            auth.password ?? (auth.passwordEnvVar ? fromEnv(auth.passwordEnvVar, 'basic auth') : '');
          parts.headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
          // The pair covers the header; the username is a secret when it is the key or comes from the environment.
          const usernameIsSecret = password === '' || auth.username === undefined;
          parts.secrets.push(password, `${username}:${password}`, ...(usernameIsSecret ? [username] : []));
        },
      };
    case 'apiKey': {
      const { value, envVar, name } = auth;
      if (value === undefined && envVar === undefined) {
        throw new ConfigError(`${where}.value or ${where}.envVar is required for apiKey auth`, [
          { path: `${where}.value`, message: 'required' },
        ]);
      }
      return {
        perUser: false,
        apply(parts) {
          const key = value ?? fromEnv(envVar!, 'apiKey auth');
          if (auth.in === 'query') parts.query.push([name, key]);
          else parts.headers[name.toLowerCase()] = key;
          parts.secrets.push(key, encodeURIComponent(key));
        },
      };
    }
    case 'custom':
      return {
        perUser: false,
        apply(parts) {
          for (const [header, value] of Object.entries(auth.headers ?? {})) {
            parts.headers[header.toLowerCase()] = value;
            parts.secrets.push(value);
          }
          for (const [header, envVar] of Object.entries(auth.headerEnvVars ?? {})) {
            const value = fromEnv(envVar, `header ${header}`);
            parts.headers[header.toLowerCase()] = value;
            parts.secrets.push(value);
          }
        },
      };
    case 'oauth':
      return {
        perUser: true,
        apply(parts, credentials) {
          const token = credentials?.accessToken;
          if (typeof token !== 'string' || token === '') {
            throw new ToolCallError(
              'This API needs the user to connect their account: no access token was supplied',
              { code: ErrorCode.UNAUTHORIZED, httpStatus: 401 },
            );
          }
          parts.headers.authorization = `Bearer ${token}`;
          parts.secrets.push(token);
        },
      };
  }
}
