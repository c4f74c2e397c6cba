import type { ServerOptions } from 'node:http';
import type { ResolvedServerConfig } from '../config.js';

/**
 * Node's own connection timeouts from `http.*` config. Node checks them every
 * `connectionsCheckingInterval` ms, so that interval follows the headers timeout: a slow-loris
 * client is dropped within about 1.25 × `headersTimeoutMs`.
 */
export function httpServerOptions(http: ResolvedServerConfig['http']): ServerOptions {
  const requestTimeout = http.requestTimeoutMs;
  const headersTimeout = Math.min(http.headersTimeoutMs, requestTimeout);
  return {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(headersTimeout / 4))),
  };
}
