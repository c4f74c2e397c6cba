import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * `http.trustProxy`: which hops in front of the server may say who the client is through
 * `X-Forwarded-For` (and `-Proto`, `-Host`). `false` (default): none, the socket's peer is the client;
 * `true`: every hop (only behind a proxy that overwrites the header); a number: that many hops; or the
 * proxies' addresses and subnets (`'loopback'`, `'10.0.0.0/8'`, …).
 */
export type TrustProxy = boolean | number | string | readonly string[];

/** Whether the hop at `address` (the `hop`-th from the socket) is a proxy whose forwarded headers count. */
export type TrustFunction = (address: string, hop: number) => boolean;

/** Compiles the setting once; a bad address or subnet throws a TypeError naming it. */
export function compileTrust(setting: TrustProxy): TrustFunction {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  const list = typeof setting === 'string' ? setting.split(',').map((part) => part.trim()) : [...setting];
  return proxyaddr.compile(list.filter(Boolean));
}

/**
 * The client's address for a request: the socket's peer, or the address the trusted proxies forwarded.
 * The one answer every part of the server uses (auth providers, rate limits, mounted handlers).
 */
export function clientAddressOf(req: IncomingMessage, trust: TrustFunction): string | undefined {
  if (req.socket?.remoteAddress === undefined) return undefined;
  return proxyaddr(req, trust);
}
