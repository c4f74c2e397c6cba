import { isStdioConfig, type ResolvedServerConfig } from './config.js';

/** Names of headers, environment variables and query parameters that carry credentials. */
const SECRET_NAME = /auth|key|token|secret|passw|credential|cookie|session/i;

/**
 * The secret values of an MCP server config, to redact from what its tools answer: credential-looking
 * headers (and the credential of an `Authorization: <scheme> <credential>`), environment variables,
 * URL query parameters and the URL's password.
 */
export function configSecrets(config: ResolvedServerConfig): string[] {
  if (isStdioConfig(config)) {
    return Object.entries(config.env ?? {})
      .filter(([name]) => SECRET_NAME.test(name))
      .map(([, value]) => value);
  }
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!SECRET_NAME.test(name)) continue;
    secrets.push(value);
    const credential = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (credential !== undefined) secrets.push(credential);
  }
  const url = new URL(config.url);
  if (url.password) secrets.push(decodeURIComponent(url.password));
  for (const [name, value] of url.searchParams) if (SECRET_NAME.test(name)) secrets.push(value);
  return secrets;
}
