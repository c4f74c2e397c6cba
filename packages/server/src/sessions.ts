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
  private readonly local = new Map<string, ClientSession>();
  private readonly maxLocal = 10_000;

  constructor(
    private readonly cache: () => CacheProvider,
    private readonly ttlSeconds: number,
  ) {}

  async save(session: ClientSession): Promise<void> {
    await this.cache().set(key(session.clientId), session, this.ttlSeconds);
    this.remember(session);
  }

  async get(clientId: string): Promise<ClientSession | undefined> {
    const cached = this.local.get(clientId);
    if (cached) return cached;
    const stored = await this.cache().get<ClientSession>(key(clientId));
    if (stored) this.remember(stored);
    return stored;
  }

  async touch(clientId: string): Promise<void> {
    await this.cache().expire(key(clientId), this.ttlSeconds);
  }

  /** Forgets local copies (after the cache provider changes). */
  clearLocal(): void {
    this.local.clear();
  }

  private remember(session: ClientSession): void {
    if (this.local.size >= this.maxLocal) {
      const oldest = this.local.keys().next().value as string;
      this.local.delete(oldest);
    }
    this.local.set(session.clientId, session);
  }
}
