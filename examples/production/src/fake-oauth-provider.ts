// A tiny OAuth 2.0 authorization server standing in for a real provider (there is no internet here):
// `/authorize` consents automatically and redirects back with a code, `/token` does the
// authorization_code (PKCE S256 checked) and refresh_token grants, `/api/profile` is the protected API.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_CLIENT_ID = 'atp-production-example';
export const FAKE_CLIENT_SECRET = 'example-client-secret';

interface PendingCode {
  challenge: string;
  redirectUri: string;
}

export class FakeOAuthProvider {
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private server: Server | undefined;

  private readonly expiresIn: number;

  /** Access tokens live `expiresIn` seconds (short, so refreshes happen while you play with it). */
  constructor(expiresIn = 120) {
    this.expiresIn = expiresIn;
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.writeHead(500).end());
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    if (request.method === 'GET' && url.pathname === '/authorize') return this.authorize(url, response);
    if (request.method === 'POST' && url.pathname === '/token') return this.token(request, response);
    if (request.method === 'GET' && url.pathname === '/api/profile') return this.profile(request, response);
    response.writeHead(404).end();
  }

  private authorize(url: URL, response: ServerResponse): void {
    const param = (name: string) => url.searchParams.get(name) ?? '';
    if (param('client_id') !== FAKE_CLIENT_ID || param('code_challenge_method') !== 'S256') {
      response.writeHead(400).end('invalid authorize request');
      return;
    }
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, { challenge: param('code_challenge'), redirectUri: param('redirect_uri') });
    const back = new URL(param('redirect_uri'));
    back.searchParams.set('code', code);
    back.searchParams.set('state', param('state'));
    response.writeHead(302, { location: back.toString() }).end();
  }

  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += chunk;
    const form = new URLSearchParams(text);
    const fail = (error: string): void => {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
    };
    if (form.get('client_id') !== FAKE_CLIENT_ID || form.get('client_secret') !== FAKE_CLIENT_SECRET) {
      return fail('invalid_client');
    }
    if (form.get('grant_type') === 'authorization_code') {
      const pending = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const challenge = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      if (!pending || pending.redirectUri !== form.get('redirect_uri') || pending.challenge !== challenge) {
        return fail('invalid_grant');
      }
      return this.issue(response);
    }
    if (form.get('grant_type') === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (!this.refreshTokens.delete(refreshToken)) return fail('invalid_grant');
      return this.issue(response);
    }
    return fail('unsupported_grant_type');
  }

  private issue(response: ServerResponse): void {
    const accessToken = `at_${randomBytes(16).toString('hex')}`;
    const refreshToken = `rt_${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(accessToken, Date.now() + this.expiresIn * 1000);
    this.refreshTokens.add(refreshToken);
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: 'Bearer',
        expires_in: this.expiresIn,
        scope: 'profile',
      }),
    );
  }

  private profile(request: IncomingMessage, response: ServerResponse): void {
    const token = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1] ?? '';
    const expiresAt = this.accessTokens.get(token);
    if (expiresAt === undefined || expiresAt < Date.now()) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: 'u-42', name: 'Ada Lovelace', plan: 'enterprise' }));
  }
}
