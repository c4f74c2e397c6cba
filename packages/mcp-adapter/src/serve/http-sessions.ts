import type { ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface SessionLimits {
  /** Open sessions on this handler, all clients together. */
  maxSessions: number;
  /** Open sessions of one client (principal); opening one more closes its least recently used idle one. */
  maxSessionsPerClient: number;
  /** A session without a request for this long is closed. */
  idleTimeoutMs: number;
}

export interface OpenSession {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Who opened it (`client:<id>`, `user:<id>` or `anonymous`); only they may use it. */
  principal: string;
  lastSeen: number;
  /** POST requests still being answered (a running execute_code keeps its session alive). */
  active: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; status: number; message: string };

/**
 * The open MCP sessions of one handler: bounded in number (overall and per client), closed when idle,
 * and reachable only by the principal that opened them.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, OpenSession>();
  /** Sessions being opened (their initialize is in flight), per principal, so a burst cannot overshoot. */
  private readonly opening = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limits: SessionLimits,
    private readonly onEvict: (id: string, reason: string) => void,
  ) {
    const every = Math.min(60_000, Math.max(100, Math.floor(limits.idleTimeoutMs / 4)));
    this.sweeper = setInterval(() => this.closeIdle(), every);
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session, when it exists and belongs to `principal` (anyone else is told it does not exist). */
  get(id: string, principal: string): OpenSession | undefined {
    const session = this.sessions.get(id);
    return session?.principal === principal ? session : undefined;
  }

  add(id: string, session: OpenSession): void {
    this.sessions.set(id, session);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Takes every session out (for close()). */
  drain(): OpenSession[] {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    return all;
  }

  /**
   * Room for one more session of `principal`: closes idle sessions past their time, then, at the
   * per-client bound, that client's least recently used idle session. Never another client's.
   */
  admit(principal: string): Admission {
    this.closeIdle();
    const mine = [...this.sessions.entries()].filter(([, session]) => session.principal === principal);
    const pending = this.opening.get(principal) ?? 0;
    if (mine.length + pending >= this.limits.maxSessionsPerClient) {
      const idle = mine
        .filter(([, session]) => session.active === 0)
        .sort(([, a], [, b]) => a.lastSeen - b.lastSeen);
      const [oldest] = idle;
      if (oldest === undefined || mine.length + pending - 1 >= this.limits.maxSessionsPerClient) {
        return {
          ok: false,
          status: 429,
          message: `This client has ${mine.length} MCP sessions open (maxSessionsPerClient is ${this.limits.maxSessionsPerClient}), all busy; end one with DELETE or retry later.`,
        };
      }
      this.evict(oldest[0], 'the client opened more than maxSessionsPerClient sessions');
    }
    if (this.sessions.size + this.pendingTotal() >= this.limits.maxSessions) {
      return {
        ok: false,
        status: 503,
        message: `The server has ${this.sessions.size} MCP sessions open (maxSessions); retry later.`,
      };
    }
    this.opening.set(principal, pending + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.opening.get(principal) ?? 1) - 1;
        if (left > 0) this.opening.set(principal, left);
        else this.opening.delete(principal);
      },
    };
  }

  /** Marks the session used now; a POST keeps it active until its response ends. */
  touch(session: OpenSession, method: string | undefined, res: ServerResponse): void {
    session.lastSeen = Date.now();
    if (method !== 'POST') return;
    session.active++;
    res.once('close', () => {
      session.active--;
      session.lastSeen = Date.now();
    });
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.limits.idleTimeoutMs;
    for (const [id, session] of this.sessions) {
      if (session.active === 0 && session.lastSeen <= cutoff) this.evict(id, 'idle');
    }
  }

  private evict(id: string, reason: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.onEvict(id, reason);
    void session.transport.close().catch(() => undefined);
  }

  private pendingTotal(): number {
    let total = 0;
    for (const count of this.opening.values()) total += count;
    return total;
  }
}
