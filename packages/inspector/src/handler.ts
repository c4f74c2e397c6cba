import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@agent-tool-protocol/protocol';
import { type Asset, inspectorAssetsDir, loadAssets } from './assets.js';

/** A connect/express-style handler; the ATP server's `mount()` accepts it. */
export type InspectorRequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface InspectorHandlerOptions {
  /** The directory of the built page; default: this package's `dist/public`. */
  assetsDir?: string;
}

/**
 * The page only talks to its own origin, runs only its own bundled script, and may not be framed.
 * CodeMirror adds its styles at run time, hence `style-src 'unsafe-inline'`.
 */
const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the inspector page and its assets under whatever path it is mounted at: `…/` is the page,
 * `…/<file>` one of its files, and the bare mount path redirects to `…/` so relative URLs resolve.
 * Anything else goes to `next()`.
 */
export function inspectorHandler(options: InspectorHandlerOptions = {}): InspectorRequestHandler {
  const assets = loadAssets(options.assetsDir ?? inspectorAssetsDir());
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = new URL(req.url ?? '/', 'http://inspector.invalid');
    const last = url.pathname.split('/').at(-1) ?? '';
    const decoded = safeDecode(last);
    if (decoded === undefined || safeDecode(url.pathname) === undefined) {
      const body = new ValidationError('The request path is not valid percent-encoding.', [
        { path: 'path', message: 'invalid percent-encoding' },
      ]).toJSON();
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
      return;
    }
    if (last !== '' && !last.includes('.')) {
      res.writeHead(302, { location: `${encodeURIComponent(decoded)}/${url.search}` }).end();
      return;
    }
    const name = last === '' ? 'index.html' : last;
    const asset = assets.get(name);
    if (!asset) return next();
    send(req, res, asset, name === 'index.html');
  };
}

/** The decoded path segment, or undefined when its percent-encoding is broken (`%E0%A4%A`). */
function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function send(req: IncomingMessage, res: ServerResponse, asset: Asset, page: boolean): void {
  res.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': asset.body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(page ? PAGE_SECURITY_HEADERS : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
