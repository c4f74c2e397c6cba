import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGroup, AuthProvider, CacheProvider } from '@agent-tool-protocol/protocol';
import type express from 'express';
import type { RequestHandler } from 'express';
import type { ServerConfigInput } from './config.js';
import { AtpEngine } from './engine.js';
import { createApp, type Mount } from './http/app.js';
import type { Middleware } from './http/middleware.js';
import { createOAuthRouter } from './http/oauth-routes.js';
import { httpServerOptions } from './http/server-options.js';
import { importInspector } from './inspector.js';

/** An ATP server: the engine plus its HTTP surface and lifecycle. */
export class AgentToolProtocolServer {
  readonly engine: AtpEngine;
  private readonly middlewares: Middleware[] = [];
  private readonly mounts: Mount[] = [];
  private app: express.Express | undefined;
  private httpServer: Server | undefined;

  constructor(config: ServerConfigInput = {}) {
    this.engine = new AtpEngine(config);
    if (this.engine.oauth.enabled) this.mount('/oauth', createOAuthRouter(this.engine));
  }

  addAPIGroup(group: APIGroup): this {
    this.engine.addAPIGroup(group);
    return this;
  }

  /** `use(async (ctx, next) => …)` adds middleware; `use(group)` or `use([groups])` adds API groups. */
  use(value: Middleware | APIGroup | APIGroup[]): this {
    if (typeof value === 'function') this.middlewares.push(value);
    else for (const group of Array.isArray(value) ? value : [value]) this.addAPIGroup(group);
    return this;
  }

  setCacheProvider(cache: CacheProvider): this {
    this.engine.setCacheProvider(cache);
    return this;
  }

  setAuthProvider(provider: AuthProvider): this {
    this.engine.setAuthProvider(provider);
    return this;
  }

  /**
   * Serves `handler` under `path` on this server's app (e.g. ATP over MCP at `/mcp`). The handler sees
   * the request untouched by ATP auth; it is responsible for its own.
   */
  mount(path: string, handler: RequestHandler): this {
    if (!path.startsWith('/') || path.startsWith('/api')) {
      throw new TypeError(`Mount paths must start with "/" and not shadow /api (got "${path}").`);
    }
    this.mounts.push({ path: path.replace(/\/+$/, ''), handler });
    return this;
  }

  /** The express app, to mount in an existing application: `app.use(server.handler())`. */
  handler(): express.Express {
    this.app ??= createApp(this.engine, this.middlewares, this.mounts);
    return this.app;
  }

  /** Starts listening (port 0 picks a free port); resolves once bound. */
  async listen(port = 3333, host = '127.0.0.1'): Promise<Server> {
    if (this.httpServer) throw new Error('The server is already listening.');
    await this.mountInspector();
    const server = createHttpServer(httpServerOptions(this.engine.config.http), this.handler());
    server.maxConnections = this.engine.config.http.maxConnections || Number.POSITIVE_INFINITY;
    server.listen(port, host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.httpServer = server;
    await this.engine.warmUp();
    this.engine.logger.info(
      { url: this.url, groups: this.engine.catalog.listGroups().length },
      'ATP server listening',
    );
    return server;
  }

  /**
   * With `inspector.enabled`, serves the ATP Inspector page at `/inspector` from the optional package
   * `@agent-tool-protocol/inspector`. Ignored in production mode unless `inspector.allowInProduction`.
   */
  private async mountInspector(): Promise<void> {
    const { inspector, mode } = this.engine.config;
    if (!inspector.enabled || this.mounts.some((mount) => mount.path === '/inspector')) return;
    const production =
      (mode ?? (process.env.NODE_ENV === 'production' ? 'production' : 'development')) === 'production';
    if (production && !inspector.allowInProduction) {
      this.engine.logger.warn(
        'inspector.enabled is ignored in production mode; set inspector.allowInProduction to serve it anyway',
      );
      return;
    }
    const module = await importInspector();
    this.mount('/inspector', module.inspectorHandler());
    this.engine.logger.info({ path: '/inspector' }, 'ATP Inspector enabled');
  }

  start(port?: number, host?: string): Promise<Server> {
    return this.listen(port, host);
  }

  get port(): number | undefined {
    return (this.httpServer?.address() as AddressInfo | null)?.port;
  }

  get url(): string | undefined {
    const address = this.httpServer?.address() as AddressInfo | null;
    if (!address) return undefined;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /**
   * Stops accepting connections, lets running executions finish within `graceMs`, keeps paused
   * state in the cache provider, and closes providers.
   */
  async shutdown(graceMs = 10_000): Promise<void> {
    const server = this.httpServer;
    this.httpServer = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    server?.closeIdleConnections();
    await this.engine.shutdown(graceMs);
    server?.closeAllConnections();
    await closed;
  }
}

export function createServer(config: ServerConfigInput = {}): AgentToolProtocolServer {
  return new AgentToolProtocolServer(config);
}
