import type { CacheProvider, ClientServices, ClientToolDefinition } from '@agent-tool-protocol/protocol';

export interface ClientSession {
  clientId: string;
  services: ClientServices;
  tools: ClientToolDefinition[];
  createdAt: number;
  userId?: string;
}

const key = (clientId: string) => `atp:session:${clientId}`;

/**
 * Client sessions live in the cache provider, so every server instance sharing it knows every
 * client. A small local map saves the cache round trip on the hot path.
 */
export class SessionStore {
  private readonly local = new Map<string, { session: ClientSession; expiresAt: number }>();
  private readonly maxLocal = 10_000;

  constructor(
    private readonly cache: CacheProvider,
    private readonly ttlSeconds: number,
  ) {}

  async save(session: ClientSession): Promise<void> {
    await this.cache.set(key(session.clientId), session, this.ttlSeconds);
    this.remember(session);
  }

  async get(clientId: string): Promise<ClientSession | undefined> {
    const cached = this.local.get(clientId);
    if (cached && cached.expiresAt > Date.now()) return cached.session;
    this.local.delete(clientId);
    const stored = await this.cache.get<ClientSession>(key(clientId));
    if (stored) this.remember(stored);
    return stored;
  }

  async touch(clientId: string): Promise<void> {
    await this.cache.expire(key(clientId), this.ttlSeconds);
    const cached = this.local.get(clientId);
    if (cached) cached.expiresAt = this.localExpiry();
  }

  private remember(session: ClientSession): void {
    if (this.local.size >= this.maxLocal) {
      const oldest = this.local.keys().next().value as string;
      this.local.delete(oldest);
    }
    this.local.set(session.clientId, { session, expiresAt: this.localExpiry() });
  }

  /** Local copies live no longer than the cache entry, and at most a minute (so deletions elsewhere show). */
  private localExpiry(): number {
    return Date.now() + Math.min(this.ttlSeconds * 1000, 60_000);
  }
}
