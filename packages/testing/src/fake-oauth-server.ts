import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOAuthServerOptions {
  clientId: string;
  clientSecret: string;
  /** Access token lifetime announced in `expires_in`. Default 3600. */
  expiresIn?: number;
  /** Issue a new refresh token on every refresh (and invalidate the old one). Default true. */
  rotateRefreshTokens?: boolean;
  /** Answer token errors with HTTP 200 and an `error` field, as GitHub does. */
  errorsWithStatus200?: boolean;
}

interface PendingCode {
  challenge: string;
  redirectUri: string;
  scope: string;
}

/**
 * A local authorization server speaking real OAuth 2.0: `/authorize` redirects back with a code and
 * the state (auto-consent, or `error=access_denied` when `deny` is set), `/token` accepts form-encoded
 * authorization_code (PKCE S256 verified) and refresh_token grants and answers JSON, `/userinfo`
 * accepts only live access tokens.
 */
export class FakeOAuthServer {
  readonly grants: Array<{ grantType: string; ok: boolean }> = [];
  deny = false;
  /** Delay before answering a refresh grant, to widen races. */
  refreshDelayMs = 0;
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Map<string, string>();
  private counter = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeOAuthServerOptions,
  ) {}

  static async start(options: FakeOAuthServerOptions): Promise<FakeOAuthServer> {
    let instance: FakeOAuthServer | undefined;
    const server = createServer((request, response) => {
      instance!.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    instance = new FakeOAuthServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get authorizeUrl(): string {
    return `${this.url}/authorize`;
  }

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  count(grantType: string, ok = true): number {
    return this.grants.filter((grant) => grant.grantType === grantType && grant.ok === ok).length;
  }

  revokeAllRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    if (request.method === 'GET' && url.pathname === '/authorize') return this.authorize(url, response);
    if (request.method === 'POST' && url.pathname === '/token') return this.token(request, response);
    if (request.method === 'GET' && url.pathname === '/userinfo') return this.userinfo(request, response);
    response.writeHead(404).end();
  }

  private authorize(url: URL, response: ServerResponse): void {
    const param = (name: string) => url.searchParams.get(name) ?? '';
    const redirectUri = param('redirect_uri');
    if (
      param('response_type') !== 'code' ||
      param('client_id') !== this.options.clientId ||
      !redirectUri ||
      param('code_challenge_method') !== 'S256' ||
      !param('code_challenge')
    ) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid authorize request');
      return;
    }
    const target = new URL(redirectUri);
    if (this.deny) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied access');
    } else {
      const code = `code-${randomBytes(8).toString('hex')}`;
      this.codes.set(code, { challenge: param('code_challenge'), redirectUri, scope: param('scope') });
      target.searchParams.set('code', code);
    }
    target.searchParams.set('state', param('state'));
    response.writeHead(302, { location: target.toString() }).end();
  }

  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return this.fail(response, 'unknown', 400, 'invalid_request', 'form-encoded body required');
    }
    let text = '';
    for await (const chunk of request) text += chunk;
    const form = new URLSearchParams(text);
    const grantType = form.get('grant_type') ?? '';
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = request.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    if (basic) {
      [clientId, clientSecret] = Buffer.from(basic, 'base64')
        .toString()
        .split(':')
        .map(decodeURIComponent) as [string, string];
    }
    if (clientId !== this.options.clientId || clientSecret !== this.options.clientSecret) {
      return this.fail(response, grantType, 401, 'invalid_client', 'client authentication failed');
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code);
      if (!pending) return this.fail(response, grantType, 400, 'invalid_grant', 'unknown or used code');
      if (form.get('redirect_uri') !== pending.redirectUri) {
        return this.fail(response, grantType, 400, 'invalid_grant', 'redirect_uri mismatch');
      }
      const challenge = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      if (challenge !== pending.challenge)
        return this.fail(response, grantType, 400, 'invalid_grant', 'PKCE verification failed');
      return this.issue(response, grantType, pending.scope, undefined);
    }
    if (grantType === 'refresh_token') {
      if (this.refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.refreshDelayMs));
      const refreshToken = form.get('refresh_token') ?? '';
      const scope = this.refreshTokens.get(refreshToken);
      if (scope === undefined)
        return this.fail(response, grantType, 400, 'invalid_grant', 'refresh token revoked');
      return this.issue(response, grantType, scope, refreshToken);
    }
    return this.fail(response, grantType, 400, 'unsupported_grant_type', grantType);
  }

  private issue(
    response: ServerResponse,
    grantType: string,
    scope: string,
    oldRefreshToken: string | undefined,
  ): void {
    const n = ++this.counter;
    const accessToken = `access-${n}-${randomBytes(6).toString('hex')}`;
    this.accessTokens.add(accessToken);
    let refreshToken: string | undefined;
    if (oldRefreshToken === undefined || this.options.rotateRefreshTokens !== false) {
      refreshToken = `refresh-${n}-${randomBytes(6).toString('hex')}`;
      this.refreshTokens.set(refreshToken, scope);
      if (oldRefreshToken !== undefined) this.refreshTokens.delete(oldRefreshToken);
    }
    this.grants.push({ grantType, ok: true });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.options.expiresIn ?? 3600,
      scope,
    };
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private fail(
    response: ServerResponse,
    grantType: string,
    status: number,
    error: string,
    description: string,
  ): void {
    this.grants.push({ grantType, ok: false });
    response
      .writeHead(this.options.errorsWithStatus200 ? 200 : status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error, error_description: description }));
  }

  private userinfo(request: IncomingMessage, response: ServerResponse): void {
    const token = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!token || !this.accessTokens.has(token)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: 'user-1' }));
  }
}
