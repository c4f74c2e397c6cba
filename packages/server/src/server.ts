import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ATPEngine,
  assertOAuthGroupUsable,
  createEngine,
  type Telemetry,
} from '@agent-tool-protocol/engine';
import {
  type APIGroup,
  type AuthProvider,
  type CacheProvider,
  ConfigError,
  type OAuthAPIGroup,
} from '@agent-tool-protocol/protocol';
import type express from 'express';
import type { RequestHandler } from 'express';
import { parseServerConfig, type ResolvedServerConfig, type ServerConfig } from './config.js';
import { createApp, type Mount } from './http/app.js';
import { clientAddressOf, compileTrust, type TrustFunction } from './http/client-address.js';
import type { Middleware } from './http/middleware.js';
import { listenPort } from './http/port.js';
import { httpServerOptions } from './http/server-options.js';
import { importInspector } from './inspector.js';
import { telemetryFromConfig } from './otel/load-otel.js';
import { PendingGroups, type UseArgument } from './pending-groups.js';

/**
 * An ATP server: the engine behind express routes, plus the process concerns (listening, the inspector,
 * the OTel SDK, graceful shutdown). The config is validated by `createServer`; the setters
 * (`setCacheProvider`, `setAuthProvider`, `use(middleware)`) add to it until the server starts — the
 * engine is built once, from the whole config, by `listen()`/`start()`, `handler()` or the first
 * read of `server.engine`.
 */
export class AgentToolProtocolServer {
  private config: ResolvedServerConfig;
  private readonly middlewares: Middleware[] = [];
  private readonly pendingGroups = new PendingGroups(
    (group) => this.addAPIGroup(group),
    () => this.built?.logger,
  );
  private readonly mounts: Mount[] = [];
  private built: ATPEngine | undefined;
  private app: express.Express | undefined;
  private httpServer: Server | undefined;
  private readonly trust: TrustFunction;

  constructor(config: ServerConfig = {}) {
    this.config = parseServerConfig(config);
    this.trust = compileTrust(this.config.http.trustProxy);
  }

  /**
   * The client's address for a request to this server: the socket's peer, or what trusted proxies
   * forwarded (`http.trustProxy`). Pass it to mounted handlers that need it, e.g. the `/mcp` handler's
   * client-address option, so every part of the server agrees on who the client is.
   */
  clientAddress(req: IncomingMessage): string | undefined {
    return clientAddressOf(req, this.trust);
  }

  /** The engine (built now if the server has not started yet; the setters are closed afterwards). */
  get engine(): ATPEngine {
    this.built ??= this.buildEngine(undefined);
    return this.built;
  }

  /**
   * Adds an API group, before or after the server starts. An `oauth` group with an `oauthProvider`
   * registers that provider: its handlers get the caller's credentials (`(input, credentials) =>
   * credentials.accessToken`) and its consent callback is served at the path of its `redirectUri`.
   */
  addAPIGroup(group: OAuthAPIGroup): this;
  addAPIGroup(group: APIGroup): this;
  addAPIGroup(group: APIGroup | OAuthAPIGroup): this {
    if (this.built) this.built.addAPIGroup(group as APIGroup);
    else {
      assertOAuthGroupUsable(group as APIGroup, this.config);
      this.config = { ...this.config, apiGroups: [...this.config.apiGroups, group as APIGroup] };
    }
    return this;
  }

  /**
   * `use(async (context, next) => …)` adds middleware (before the server starts); `use(group, …)` adds API
   * groups (at any time), also promises of groups as the loaders return them
   * (`use(openapi.fromSpec(…), mcpConnector.connect(…))`): they are added as they resolve, and `listen()`
   * waits for them (a rejected one fails `listen()`). Arrays of any of these are accepted too; anything
   * else is a TypeError.
   */
  use(...values: UseArgument[]): this {
    if (values.length === 0) throw new TypeError('use() needs a middleware function or an API group.');
    const middlewares: Middleware[] = [];
    const groups: APIGroup[] = [];
    const promises: PromiseLike<unknown>[] = [];
    values.forEach((value, index) => {
      PendingGroups.classify(value, `use() argument ${index + 1}`, { middlewares, groups, promises });
    });
    if (middlewares.length > 0) this.assertNotStarted('use(middleware)');
    this.middlewares.push(...middlewares);
    for (const group of groups) this.addAPIGroup(group);
    for (const promise of promises) this.pendingGroups.add(promise);
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
  async listen(port: number | string = 3333, host = '127.0.0.1'): Promise<Server> {
    if (this.httpServer) throw new Error('The server is already listening.');
    const portNumber = listenPort(port);
    await this.pendingGroups.settled();
    if (!this.built) this.built = this.buildEngine(await telemetryFromConfig(this.config));
    const engine = this.built;
    await this.mountInspector(engine);
    const server = createHttpServer(httpServerOptions(this.config.http), this.handler());
    server.maxConnections = this.config.http.maxConnections || Number.POSITIVE_INFINITY;
    server.listen(portNumber, host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.httpServer = server;
    await engine.warmUp();
    engine.logger.info({ url: this.url, groups: engine.catalog.listGroups().length }, 'ATP server listening');
    return server;
  }

  /** Same as `listen`; `port` may be a string, as in `start(process.env.PORT || 3333)`. */
  start(port?: number | string, host?: string): Promise<Server> {
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
    this.built = engine;
    this.pendingGroups.engineBuilt();
    return engine;
  }

  private createApp(): express.Express {
    return createApp(this.engine, this.config.http, this.middlewares, this.mounts, {
      trust: this.trust,
      clientAddress: (req) => this.clientAddress(req),
    });
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

export function createServer(config: ServerConfig = {}): AgentToolProtocolServer {
  return new AgentToolProtocolServer(config);
}
