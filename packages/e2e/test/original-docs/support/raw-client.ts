/** The bare HTTP protocol, for usages the client SDK hides (a pause left unanswered, token lifetimes). */
export class RawClient {
  private constructor(
    private readonly url: string,
    readonly session: { clientId: string; token: string; expiresAt: number },
  ) {}

  static async init(url: string, services: Record<string, boolean> = {}): Promise<RawClient> {
    const response = await fetch(`${url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientInfo: { name: 'raw' }, services }),
    });
    return new RawClient(url, (await response.json()) as RawClient['session']);
  }

  async post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.session.token}`,
        'x-client-id': this.session.clientId,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}
