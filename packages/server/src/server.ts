import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ATPEngine, createEngine, type Telemetry } from '@agent-tool-protocol/engine';
import {
  type APIGroup,
  type AuthProvider,
  type CacheProvider,
  ConfigError,
} from '@agent-tool-protocol/protocol';
import type express from 'express';
import type { RequestHandler } from 'express';
import { parseServerConfig, type ServerConfig, type ServerConfigInput } from './config.js';
import { createApp, type Mount } from './http/app.js';
import type { Middleware } from './http/middleware.js';
import { createOAuthRouter } from './http/oauth-routes.js';
import { httpServerOptions } from './http/server-options.js';
import { importInspector } from './inspector.js';
import { telemetryFromConfig } from './otel/load-otel.js';

/**
 * An ATP server: the engine behind express routes, plus the process concerns (listening, the inspector,
 * the OTel SDK, graceful shutdown). The config is validated by `createServer`; the setters
 * (`setCacheProvider`, `setAuthProvider`, `use(middleware)`) add to it until the server starts — the
 * engine is built once, from the whole config, by `listen()`/`start()`, `handler()` or the first
 * read of `server.engine`.
 */
export class AgentToolProtocolServer {
  private config: ServerConfig;
  private readonly middlewares: Middleware[] = [];
  private readonly mounts: Mount[] = [];
  private built: ATPEngine | undefined;
  private app: express.Express | undefined;
  private httpServer: Server | undefined;

  constructor(config: ServerConfigInput = {}) {
    this.config = parseServerConfig(config);
  }

  /** The engine (built now if the server has not started yet; the setters are closed afterwards). */
  get engine(): ATPEngine {
    this.built ??= this.buildEngine(undefined);
    return this.built;
  }

  /** Adds an API group, before or after the server starts. */
  addAPIGroup(group: APIGroup): this {
    if (this.built) this.built.addAPIGroup(group);
    else this.config = { ...this.config, apiGroups: [...this.config.apiGroups, group] };
    return this;
  }

  /**
   * `use(async (ctx, next) => …)` adds middleware (before the server starts); `use(group)` or
   * `use([groups])` adds API groups (at any time).
   */
  use(value: Middleware | APIGroup | APIGroup[]): this {
    if (typeof value === 'function') {
      this.assertNotStarted('use(middleware)');
      this.middlewares.push(value);
    } else for (const group of Array.isArray(value) ? value : [value]) this.addAPIGroup(group);
    return this;
  }

  /** Where sessions, paused state, journals and `atp.cache` live; same as `createServer({ cache })`. */
  setCacheProvider(cache: CacheProvider): this {
    this.assertNotStarted('setCacheProvider()');
    this.config = parseServerConfig({ ...this.config, cache });
    return this;
  }

  /** Decides who may call `init`; same as `createServer({ auth: { provider } })`. */
  setAuthProvider(provider: AuthProvider): this {
    this.assertNotStarted('setAuthProvider()');
    this.config = parseServerConfig({ ...this.config, auth: { ...this.config.auth, provider } });
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
    this.app ??= this.createApp();
    return this.app;
  }

  /** Starts listening (port 0 picks a free port); resolves once bound. */
  async listen(port = 3333, host = '127.0.0.1'): Promise<Server> {
    if (this.httpServer) throw new Error('The server is already listening.');
    if (!this.built) this.built = this.buildEngine(await telemetryFromConfig(this.config));
    const engine = this.built;
    await this.mountInspector(engine);
    const server = createHttpServer(httpServerOptions(this.config.http), this.handler());
    server.maxConnections = this.config.http.maxConnections || Number.POSITIVE_INFINITY;
    server.listen(port, host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.httpServer = server;
    await engine.warmUp();
    engine.logger.info({ url: this.url, groups: engine.catalog.listGroups().length }, 'ATP server listening');
    return server;
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
    await this.built?.shutdown(graceMs);
    server?.closeAllConnections();
    await closed;
  }

  private buildEngine(telemetry: Telemetry | undefined): ATPEngine {
    if (this.config.otel.enabled && !this.config.telemetry && !telemetry) {
      throw new ConfigError(
        'otel.enabled starts the OpenTelemetry SDK when the server starts: call listen()/start() before using server.engine or handler(), or pass `telemetry: createOtelTelemetry(…)` from @agent-tool-protocol/server/otel.',
        [{ path: 'otel.enabled', message: 'needs listen() or an explicit telemetry' }],
      );
    }
    const { otel: _otel, http: _http, inspector: _inspector, ...engineConfig } = this.config;
    const engine = createEngine({ ...engineConfig, ...(telemetry ? { telemetry } : {}) });
    if (engine.oauth.enabled) this.mounts.unshift({ path: '/oauth', handler: createOAuthRouter(engine) });
    return engine;
  }

  private createApp(): express.Express {
    return createApp(this.engine, this.config.http, this.middlewares, this.mounts);
  }

  /**
   * With `inspector.enabled`, serves the ATP Inspector page at `/inspector` from the optional peer
   * dependency `@agent-tool-protocol/inspector`. Ignored in production mode unless
   * `inspector.allowInProduction`.
   */
  private async mountInspector(engine: ATPEngine): Promise<void> {
    const { inspector, mode } = this.config;
    if (!inspector.enabled || this.mounts.some((mount) => mount.path === '/inspector')) return;
    const production =
      (mode ?? (process.env.NODE_ENV === 'production' ? 'production' : 'development')) === 'production';
    if (production && !inspector.allowInProduction) {
      engine.logger.warn(
        {},
        'inspector.enabled is ignored in production mode; set inspector.allowInProduction to serve it anyway',
      );
      return;
    }
    const module = await importInspector();
    this.mount('/inspector', module.inspectorHandler());
    engine.logger.info({ path: '/inspector' }, 'ATP Inspector enabled');
  }

  private assertNotStarted(method: string): void {
    if (!this.built) return;
    throw new ConfigError(
      `${method} must be called before the server starts: the engine was already built (by listen(), start(), handler() or reading server.engine). Pass it to createServer() instead, or call it earlier.`,
    );
  }
}

export function createServer(config: ServerConfigInput = {}): AgentToolProtocolServer {
  return new AgentToolProtocolServer(config);
}
