import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * Variables a stdio MCP server inherits from the gateway on top of the MCP SDK's safe defaults (HOME,
 * PATH, USER, SHELL, TERM, LOGNAME; their Windows equivalents): what a server needs to reach the network
 * the way the user's shell does (proxies, extra CA certificates), to run `npx` against the user's
 * registry, and to find temp dirs and the locale. Secrets such as API keys are still not inherited:
 * pass them in the server's `env`.
 */
export const INHERITED_ENV_VARS: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'NODE_EXTRA_CA_CERTS',
  'NODE_USE_ENV_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'npm_config_registry',
  'NPM_CONFIG_REGISTRY',
  'npm_config_cache',
  'NPM_CONFIG_CACHE',
  'npm_config_userconfig',
  'NPM_CONFIG_USERCONFIG',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_RUNTIME_DIR',
];

/**
 * The environment of a stdio MCP server: the SDK's defaults, the inherited variables that are set in
 * `parent`, then the server's own `env` (which wins).
 */
export function childEnvironment(
  env: Record<string, string> | undefined,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of INHERITED_ENV_VARS) {
    const value = parent[name];
    if (value !== undefined) inherited[name] = value;
  }
  return { ...getDefaultEnvironment(), ...inherited, ...env };
}
