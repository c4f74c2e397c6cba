import type { ATPEngine } from '@agent-tool-protocol/engine';
import express, { type Request, type Response, type Router } from 'express';

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
 * `GET /oauth/:provider/authorize` (an authenticated ATP client: bearer token + X-Client-ID) answers
 * a redirect to the provider's consent page, or `{authorizeUrl}` as JSON (`Accept: application/json`
 * or `?format=json`) for clients that open the page elsewhere. `GET /oauth/callback` is where the
 * provider sends the browser back; it needs no ATP token: the single-use state names the client.
 */
export function createOAuthRouter(engine: ATPEngine): Router {
  const router = express.Router();
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  router.get('/oauth/callback', async (req, res) => {
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

  return router;
}
