import type { ATPEngine } from '@agent-tool-protocol/engine';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function wantsJson(req: Request): boolean {
  return req.query.format === 'json' || (header(req, 'accept') ?? '').includes('application/json');
}

function scopesOf(req: Request): string[] | undefined {
  const raw = req.query.scope ?? req.query.scopes;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw.split(/[\s,]+/).filter(Boolean);
}

/**
 * The OAuth routes, active once OAuth is (an `oauth` config, or an `oauth` group that brought its
 * provider, added at any time):
 * - the callback, `GET` at the path of each provider's redirect URI (`/oauth/callback`), where the
 *   provider sends the browser back; it needs no ATP token: the single-use, signed state names the client;
 * - `GET /oauth/:provider/authorize` (an authenticated ATP client: bearer token + X-Client-ID) answers a
 *   redirect to the provider's consent page, or `{authorizeUrl}` as JSON (`Accept: application/json` or
 *   `?format=json`) for clients that open the page elsewhere;
 * - `DELETE /oauth/:provider` forgets the client's tokens.
 */
export function createOAuthRouter(engine: ATPEngine): RequestHandler {
  const router = express.Router();
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  const callback = async (req: Request, res: Response) => {
    noStore(res);
    const completed = await engine.oauth.callback(req.query as Record<string, unknown>);
    engine.audit({ type: 'oauth_authorized', provider: completed.provider });
    const success = engine.config.oauth?.successRedirect;
    if (success) {
      const target = new URL(success);
      target.searchParams.set('provider', completed.provider);
      target.searchParams.set('status', 'authorized');
      res.redirect(302, target.toString());
      return;
    }
    if (wantsJson(req)) {
      res.json({ status: 'authorized', ...completed });
      return;
    }
    res
      .type('html')
      .send(
        `<!doctype html><meta charset="utf-8"><title>Authorized</title><p>Access to <b>${escapeHtml(completed.provider)}</b> is granted. You can close this window and retry the request.</p>`,
      );
  };

  // Callback paths are read per request: a group added after start may bring a new one.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !engine.oauth.callbackPaths().has(req.path)) return next();
    callback(req, res).catch(next);
  });

  router.get('/oauth/:provider/authorize', async (req, res) => {
    noStore(res);
    const claims = await engine.authenticate(header(req, 'authorization'), header(req, 'x-client-id'));
    const provider = String(req.params.provider);
    const { authorizeUrl } = await engine.oauth.authorize(claims.clientId, provider, scopesOf(req));
    engine.audit({ type: 'oauth_authorize', clientId: claims.clientId, provider });
    if (wantsJson(req)) {
      res.json({ provider, authorizeUrl });
      return;
    }
    res.redirect(302, authorizeUrl);
  });

  router.delete('/oauth/:provider', async (req, res) => {
    const claims = await engine.authenticate(header(req, 'authorization'), header(req, 'x-client-id'));
    const provider = String(req.params.provider);
    const revoked = await engine.oauth.revoke(claims.clientId, provider);
    res.json({ provider, revoked });
  });

  return (req, res, next) => (engine.oauth.enabled ? router(req, res, next) : next());
}
