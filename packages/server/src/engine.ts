import { randomUUID } from 'node:crypto';
import { Catalog, type CatalogOptions, generateRuntimeDefinitions } from '@agent-tool-protocol/catalog';
import {
  type APIGroup,
  AtpError,
  type AuditEvent,
  AuthenticationError,
  type AuthProvider,
  type AuthRequest,
  type CacheProvider,
  type CallbackResult,
  type ClientServices,
  DefinitionsQuerySchema,
  type DefinitionsResponse,
  ErrorCode,
  ExecuteRequestSchema,
  type ExecutionResult,
  type ExecutionSummary,
  type ExecutionTrail,
  ExploreRequestSchema,
  type ExploreResponse,
  type InfoResponse,
  InitRequestSchema,
  type InitResponse,
  type LogEntry,
  MemoryCache,
  NotFoundError,
  type ProgressEvent,
  parseOrThrow,
  ResumeRequestSchema,
  SearchRequestSchema,
  type SearchResponse,
  type TokenResponse,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { createExecutor, type ExecutionEvent, type Executor } from '@agent-tool-protocol/runtime';
import type { Logger } from 'pino';
import { ConcurrencyLimiter } from './concurrency.js';
import { parseServerConfig, type ServerConfig, type ServerConfigInput } from './config.js';
import { ExecutionHistory } from './history.js';
import { createLogger } from './logger.js';
import { OAuthService } from './oauth/oauth-service.js';
import { ExecutionObserver } from './observability/execution-observer.js';
import { PausedTracker } from './paused-tracker.js';
import { type PlanResult, PlanService } from './plans/plan-service.js';
import type { PlanRecord } from './plans/plans-config.js';
import { preflight } from './plans/preflight.js';
import { buildSecurityHooks, composeHooks, guidanceComment } from './security.js';
import { type ClientSession, SessionStore } from './sessions.js';
import { type TokenClaims, TokenService } from './tokens.js';
import { TypecheckGate } from './typecheck/typecheck-gate.js';
import { SERVER_VERSION } from './version.js';

const MB = 1024 * 1024;
const RUNTIME_APIS = ['llm', 'approval', 'embedding', 'cache', 'log', 'progress'] as const;

export interface StreamListeners {
  onLog?(entry: LogEntry): void;
  onProgress?(event: ProgressEvent): void;
}

/**
 * Everything an ATP server does, without HTTP: usable in-process by library users and wrapped by
 * the express routes. Methods take an authenticated clientId; `init` and `authenticate` make one.
 */
export class AtpEngine {
  readonly config: ServerConfig;
  readonly catalog: Catalog;
  readonly logger: Logger;
  /** Traces, metrics and per-execution cost accounting (docs/observability.md). */
  readonly observability: ExecutionObserver;
  /** Plan, then approve once (docs/plans.md). */
  readonly plans: PlanService;
  /** Type-checks agent code before it runs (docs/typecheck.md). */
  readonly typecheck: TypecheckGate;
  /** Each client's recent executions and their audit trails (`GET /api/executions`). */
  readonly history: ExecutionHistory;
  /** Per-user OAuth for `oauth` API groups (`config.oauth`). */
  readonly oauth: OAuthService;
  private cache: CacheProvider = new MemoryCache({ maxEntries: 100_000 });
  private authProvider: AuthProvider | undefined;
  private executorInstance: Executor | undefined;
  private readonly tokens: TokenService;
  private readonly sessions: SessionStore;
  private readonly limiter: ConcurrencyLimiter;
  private readonly paused: PausedTracker;
  private draining = false;
  /** The security layer (docs/security.md); undefined when not configured. */
  readonly security: ReturnType<typeof buildSecurityHooks>;

  constructor(config: ServerConfigInput = {}) {
    this.config = parseServerConfig(config);
    this.logger = createLogger(this.config.logger);
    this.catalog = new Catalog(this.catalogOptions());
    this.plans = new PlanService({
      config: this.config.plans,
      catalog: this.catalog,
      cache: () => this.cache,
      audit: (event) => this.audit(event),
    });
    this.typecheck = new TypecheckGate(this.catalog, this.logger.child({ component: 'typecheck' }));
    this.observability = new ExecutionObserver({
      otel: this.config.otel,
      serviceVersion: this.version,
      cache: () => this.cache,
      pausedTTLSeconds: Math.max(this.config.executionState.ttl, this.config.executionState.maxPauseDuration),
      maxPauseSeconds: this.config.executionState.maxPauseDuration,
      gauges: { executorStats: () => this.executorInstance?.stats() },
      logger: this.logger,
    });
    this.history = new ExecutionHistory({
      cache: () => this.cache,
      ttlSeconds: this.config.executionState.ttl,
      maxExecutions: this.config.history.maxExecutions,
      maxEvents: this.config.history.maxEvents,
      logger: this.logger,
    });
    const production =
      (this.config.mode ?? (process.env.NODE_ENV === 'production' ? 'production' : 'development')) ===
      'production';
    this.tokens = new TokenService({
      secret: this.config.auth.jwtSecret ?? process.env.ATP_JWT_SECRET,
      production,
      ttlSeconds: this.config.clientInit.tokenTTL,
      rotationSeconds: this.config.clientInit.tokenRotation,
      logger: this.logger,
    });
    this.sessions = new SessionStore(() => this.cache, this.config.clientInit.tokenTTL);
    this.oauth = new OAuthService({
      config: this.config.oauth,
      cache: () => this.cache,
      userIdOf: async (clientId) => (await this.sessions.get(clientId))?.userId,
      groupOf: (name) => this.catalog.getGroup(name),
      listGroups: () => this.catalog.listGroups().flatMap(({ name }) => this.catalog.getGroup(name) ?? []),
    });
    this.limiter = new ConcurrencyLimiter(
      this.config.execution.maxConcurrent,
      this.config.execution.maxConcurrentPerClient,
    );
    this.security = buildSecurityHooks(this.config, this.catalog, this.logger);
    this.paused = new PausedTracker(
      this.config.execution.maxPausedPerClient,
      Math.max(this.config.executionState.ttl, this.config.executionState.maxPauseDuration),
    );
    for (const group of this.config.apiGroups) this.addAPIGroup(group);
  }

  get version(): string {
    return this.config.version ?? SERVER_VERSION;
  }

  addAPIGroup(group: APIGroup): this {
    this.catalog.addGroup(group);
    this.logger.info({ group: group.name, functions: group.functions.length }, 'API group added');
    return this;
  }

  /**
   * Hybrid search when `discovery.embeddings` is set (function embeddings kept in the cache
   * provider), and output types inferred from results (`discovery.inferOutputTypes`, default on;
   * sensitive functions only with `discovery.includeSensitiveOutputs`). See docs/discovery.md.
   */
  private catalogOptions(): CatalogOptions {
    const discovery = this.config.discovery as ServerConfig['discovery'] & {
      inferOutputTypes?: boolean;
      includeSensitiveOutputs?: boolean;
    };
    const cache = () => this.cache;
    const logger = this.logger.child({ component: 'catalog' });
    return {
      ...(discovery.embeddings
        ? { semanticSearch: { embeddings: discovery.embeddings, cache, logger } }
        : {}),
      ...(discovery.inferOutputTypes === false
        ? {}
        : { outputInference: { cache, includeSensitive: discovery.includeSensitiveOutputs === true } }),
    };
  }

  /** Moves sessions, paused state, journals and `atp.cache` onto `cache`. Call before serving traffic. */
  setCacheProvider(cache: CacheProvider): this {
    if (this.executorInstance) {
      void this.executorInstance.dispose();
      this.executorInstance = undefined;
    }
    this.cache = cache;
    this.sessions.clearLocal();
    this.catalog.reloadInferredOutputs();
    return this;
  }

  getCacheProvider(): CacheProvider {
    return this.cache;
  }

  setAuthProvider(provider: AuthProvider): this {
    this.authProvider = provider;
    return this;
  }

  get executor(): Executor {
    this.executorInstance ??= this.createExecutor();
    return this.executorInstance;
  }

  info(): InfoResponse {
    const execution = this.config.execution;
    return {
      version: this.version,
      capabilities: {
        execution: true,
        search: true,
        llmCalls: true,
        embeddings: this.config.discovery.embeddings !== undefined,
        approvals: true,
        provenance: execution.provenanceMode !== 'none',
        pauseResume: true,
        batchCallbacks: true,
      },
      limits: {
        maxTimeout: execution.timeout,
        maxMemory: execution.memory,
        maxLLMCalls: execution.llmCalls,
        maxToolCalls: execution.maxToolCalls,
        maxCodeBytes: execution.maxCodeBytes,
        maxResultBytes: execution.maxResultBytes,
        maxConcurrentExecutions: execution.maxConcurrent,
        maxConcurrentPerClient: execution.maxConcurrentPerClient,
      },
    };
  }

  async init(body: unknown, request: AuthRequest = { headers: {} }): Promise<InitResponse> {
    const parsed = parseOrThrow(InitRequestSchema, body ?? {}, 'init request');
    let userId: string | undefined;
    if (this.authProvider) {
      const decision = await this.authProvider.authenticate({ ...request, clientInfo: parsed.clientInfo });
      if (!decision.allowed) {
        this.audit({ type: 'auth_failure', reason: decision.reason, provider: this.authProvider.name });
        throw new AuthenticationError(`Not allowed to initialise a client: ${decision.reason}`);
      }
      userId = decision.userId;
    }
    const clientId = `cli_${randomUUID()}`;
    const session: ClientSession = {
      clientId,
      services: {
        hasLLM: parsed.services?.hasLLM ?? false,
        hasApproval: parsed.services?.hasApproval ?? false,
        hasEmbedding: parsed.services?.hasEmbedding ?? false,
        hasTools: parsed.services?.hasTools ?? (parsed.tools?.length ?? 0) > 0,
      },
      tools: parsed.tools ?? [],
      createdAt: Date.now(),
      ...(userId ? { userId } : {}),
    };
    await this.sessions.save(session);
    this.audit({ type: 'client_init', clientId, services: session.services, tools: session.tools.length });
    return { clientId, ...(await this.tokens.issue(clientId)) };
  }

  /** Verifies a bearer token and that it belongs to the `X-Client-ID` given (when given). */
  async authenticate(
    authorization: string | undefined,
    clientIdHeader: string | undefined,
  ): Promise<TokenClaims> {
    const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!match?.[1]) {
      throw new AuthenticationError('Missing bearer token: send `Authorization: Bearer <token>` from init.');
    }
    let claims: TokenClaims;
    try {
      claims = await this.tokens.verify(match[1]);
      if (clientIdHeader !== undefined && clientIdHeader !== claims.clientId) {
        throw new AuthenticationError('The token does not belong to the client named by X-Client-ID.');
      }
      if (!(await this.sessions.get(claims.clientId))) {
        throw new AuthenticationError('This client is unknown or its session expired; call init again.');
      }
    } catch (error) {
      this.audit({ type: 'auth_failure', reason: (error as Error).message });
      throw error;
    }
    return claims;
  }

  /** A rotated token for an authenticated client whose token is past its rotation time. */
  async rotatedToken(claims: TokenClaims): Promise<TokenResponse | undefined> {
    if (!this.tokens.shouldRotate(claims.issuedAt)) return undefined;
    await this.sessions.touch(claims.clientId);
    return this.tokens.issue(claims.clientId);
  }

  async refreshToken(clientId: string): Promise<TokenResponse> {
    await this.sessions.touch(clientId);
    return this.tokens.issue(clientId);
  }

  definitions(query: unknown): DefinitionsResponse {
    const parsed = parseOrThrow(DefinitionsQuerySchema, query ?? {}, 'definitions query');
    const groups = splitList(parsed.apiGroups);
    for (const name of groups ?? []) {
      if (!this.catalog.getGroup(name)) {
        throw new NotFoundError(`API group "${name}" does not exist.`, ErrorCode.NOT_FOUND, {
          available: this.catalog.listGroups().map((group) => group.name),
        });
      }
    }
    // Without filters the default is `auto`: the full declarations when small, else the compact index.
    const functions = splitList(stringListParam(parsed.functions, 'functions'));
    const detail = (parsed.detail ?? 'auto') as 'full' | 'compact' | 'auto';
    const definitions = this.catalog.getDefinitions({
      ...(groups ? { apiGroups: groups } : {}),
      ...(functions ? { functions } : {}),
      detail,
    });
    return {
      ...definitions,
      typescript: guidanceComment(this.security?.guidance()) + definitions.typescript,
    };
  }

  async runtimeDefinitions(clientId: string, apis?: string | string[]): Promise<string> {
    const session = await this.requireSession(clientId);
    const requested = splitList(apis);
    const unknown = requested?.filter((api) => !(RUNTIME_APIS as readonly string[]).includes(api)) ?? [];
    if (unknown.length > 0) {
      const message = `unknown runtime API "${unknown[0]}" (known: ${RUNTIME_APIS.join(', ')})`;
      throw new ValidationError(`Invalid runtime query: apis: ${message}`, [{ path: 'apis', message }]);
    }
    return generateRuntimeDefinitions(session.services, requested);
  }

  search(body: unknown): SearchResponse {
    const parsed = parseOrThrow(SearchRequestSchema, body, 'search request');
    return {
      results: this.catalog.search(parsed.query, {
        ...(parsed.apiGroups ? { apiGroups: parsed.apiGroups } : {}),
        ...(parsed.maxResults ? { maxResults: parsed.maxResults } : {}),
      }),
    };
  }

  /** Like `search`, hybrid (keyword + embeddings) when `discovery.embeddings` is configured. */
  async searchHybrid(body: unknown): Promise<SearchResponse> {
    const parsed = parseOrThrow(SearchRequestSchema, body, 'search request');
    return {
      results: await this.catalog.searchHybrid(parsed.query, {
        ...(parsed.apiGroups ? { apiGroups: parsed.apiGroups } : {}),
        ...(parsed.maxResults ? { maxResults: parsed.maxResults } : {}),
      }),
    };
  }

  explore(body: unknown): ExploreResponse {
    const parsed = parseOrThrow(ExploreRequestSchema, body, 'explore request');
    const response = this.catalog.explore(parsed.path);
    // The root also carries the compact index (every group and namespace, one line each): one hop.
    if (response.type !== 'directory' || response.path !== '/') return response;
    return { ...response, overview: this.catalog.getDefinitions({ detail: 'compact' }).typescript };
  }

  /** `internal.executionId`: the id a planning run was bound to (see `plan`). */
  async execute(
    clientId: string,
    body: unknown,
    listeners: StreamListeners = {},
    internal: { executionId?: string } = {},
  ): Promise<ExecutionResult> {
    const parsed = parseOrThrow(ExecuteRequestSchema, body, 'execute request');
    this.assertAccepting();
    const session = await this.requireSession(clientId);
    this.paused.assertRoom(clientId);
    const release = this.limiter.acquire(clientId);
    try {
      const config = parsed.config ?? {};
      const services: ClientServices = {
        ...session.services,
        ...stripUndefined(config.clientServices ?? {}),
      };
      const ready = await preflight(
        {
          typecheck: this.typecheck,
          plans: this.plans,
          defaultTypecheck: this.config.execution.typecheck,
          newExecutionId: randomUUID,
        },
        { clientId, code: parsed.code, config, services, tools: session.tools, ...internal },
      );
      if (ready.rejected) return ready.rejected;
      const result = await this.observability.traceExecute(clientId, () =>
        this.executor.execute(parsed.code, {
          ...(ready.executionId ? { executionId: ready.executionId } : {}),
          clientId,
          services,
          clientTools: session.tools.map((tool) => ({
            name: tool.name,
            ...(tool.namespace ? { namespace: tool.namespace } : {}),
            ...(tool.metadata ? { metadata: tool.metadata } : {}),
          })),
          limits: stripUndefined({
            timeout: config.timeout,
            maxMemory:
              config.maxMemory === undefined ? undefined : Math.max(1, Math.round(config.maxMemory / MB)),
            maxLLMCalls: config.maxLLMCalls,
            maxToolCalls: config.maxToolCalls,
            cpuTime: config.cpuTime,
            maxResultBytes: config.maxResultBytes,
          }),
          ...listeners,
        }),
      );
      return await ready.finish(result);
    } finally {
      release();
    }
  }

  /**
   * Runs `code` with every side effect recorded instead of performed and answers the plan: its
   * `planId` and `effects` (docs/plans.md). A paused plan continues with `resume`.
   */
  async plan(clientId: string, body: unknown, listeners: StreamListeners = {}): Promise<PlanResult> {
    const parsed = parseOrThrow(ExecuteRequestSchema, body, 'plan request');
    const stubs = (parsed.config as { stubs?: unknown } | undefined)?.stubs;
    await this.requireSession(clientId);
    const { planId, executionId } = await this.plans.begin(
      clientId,
      typeof stubs === 'object' && stubs !== null ? (stubs as Record<string, unknown>) : undefined,
    );
    const result = await this.execute(clientId, parsed, listeners, { executionId });
    return { effects: [], ...result, planId } as PlanResult;
  }

  /** One of this client's plans; another client's is not found. */
  getPlan(clientId: string, planId: string): Promise<PlanRecord> {
    return this.plans.get(clientId, planId);
  }

  /** Records that the plan was not approved; it can no longer run. */
  rejectPlan(clientId: string, planId: string, reason?: string): Promise<PlanRecord> {
    return this.plans.reject(clientId, planId, reason);
  }

  async resume(
    clientId: string,
    executionId: string,
    body: unknown,
    listeners: StreamListeners = {},
  ): Promise<ExecutionResult> {
    const parsed = parseOrThrow(ResumeRequestSchema, body, 'resume request');
    this.assertAccepting();
    const results: CallbackResult[] =
      'results' in parsed && Array.isArray(parsed.results)
        ? (parsed.results as CallbackResult[])
        : [{ id: '', result: (parsed as { result: unknown }).result }];
    const release = this.limiter.acquire(clientId);
    try {
      const result = await this.observability.traceResume(clientId, executionId, parsed, () =>
        this.executor.resume(executionId, results, { clientId, ...listeners }),
      );
      return await this.plans.decorate(result);
    } finally {
      release();
    }
  }

  async cancel(clientId: string, executionId: string): Promise<boolean> {
    const cancelled = await this.executor.cancel(executionId, { clientId });
    if (!cancelled) {
      throw new NotFoundError(`Execution "${executionId}" was not found.`, ErrorCode.EXECUTION_NOT_FOUND);
    }
    return true;
  }

  /** This client's recent executions, newest first (empty when `history.enabled` is false). */
  async recentExecutions(clientId: string): Promise<ExecutionSummary[]> {
    return this.config.history.enabled ? this.history.list(clientId) : [];
  }

  /** The audit trail of one of this client's executions; another client's is not found. */
  async executionTrail(clientId: string, executionId: string): Promise<ExecutionTrail> {
    const trail = this.config.history.enabled ? await this.history.get(clientId, executionId) : undefined;
    if (!trail) {
      throw new NotFoundError(
        `Execution "${executionId}" has no recorded history for this client.`,
        ErrorCode.EXECUTION_NOT_FOUND,
      );
    }
    return trail;
  }

  health(): { status: 'ok'; version: string; uptimeSeconds: number } {
    return { status: 'ok', version: this.version, uptimeSeconds: Math.round(process.uptime()) };
  }

  async ready(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const cacheOk = await Promise.race([
      (this.cache.ping?.() ?? Promise.resolve(true)).catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref()),
    ]);
    const checks = {
      cache: cacheOk,
      isolatePool: this.config.execution.isolatePoolSize === 0 || this.executor.stats().pooledIsolates > 0,
      accepting: !this.draining,
    };
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  /** Resolves once the isolate pool holds a fresh isolate (or after `timeoutMs`). */
  async warmUp(timeoutMs = 5_000): Promise<void> {
    // Function embeddings start in the background (search is keyword-only until they are ready).
    void this.catalog.prepareSemanticSearch();
    if (this.config.execution.isolatePoolSize === 0) return;
    const deadline = Date.now() + timeoutMs;
    while (this.executor.stats().pooledIsolates === 0 && Date.now() < deadline) await sleep(5);
  }

  get runningExecutions(): number {
    return this.limiter.running;
  }

  /** Paused executions this instance counts against `execution.maxPausedPerClient`. */
  get pausedExecutions(): number {
    return this.paused.total;
  }

  /** Stops accepting executions, waits up to `graceMs` for running ones, then closes providers. */
  async shutdown(graceMs = 10_000): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + graceMs;
    while (this.limiter.running > 0 && Date.now() < deadline) await sleep(25);
    await this.executorInstance?.dispose();
    this.executorInstance = undefined;
    this.security?.close();
    await Promise.allSettled(this.config.audit.sinks.map((sink) => sink.flush?.()));
    await Promise.allSettled(this.config.audit.sinks.map((sink) => sink.close?.()));
    await this.observability.shutdown();
  }

  audit(event: Omit<AuditEvent, 'timestamp'> & { timestamp?: number }): void {
    if (!this.config.audit.enabled) return;
    const record = { timestamp: Date.now(), ...event } as AuditEvent;
    for (const sink of this.config.audit.sinks) {
      try {
        const pending = sink.write(record);
        if (pending instanceof Promise)
          pending.catch((error) => this.logger.error({ err: error, sink: sink.name }, 'audit sink failed'));
      } catch (error) {
        this.logger.error({ err: error, sink: sink.name }, 'audit sink failed');
      }
    }
  }

  private createExecutor(): Executor {
    const execution = this.config.execution;
    return createExecutor({
      dispatcher: this.plans.dispatcher(
        this.observability.instrumentDispatcher(this.oauth.dispatcher(this.catalog)),
      ),
      cache: this.cache,
      hooks: this.plans.hooks(composeHooks(this.security, execution.hooks)),
      maxLimits: {
        timeout: execution.timeout,
        maxMemory: Math.round(execution.memory / MB),
        maxLLMCalls: execution.llmCalls,
        maxToolCalls: execution.maxToolCalls,
        cpuTime: execution.cpuTime,
        maxResultBytes: execution.maxResultBytes,
        maxCodeBytes: execution.maxCodeBytes,
      },
      isolatePoolSize: execution.isolatePoolSize,
      maxHotPaused: execution.maxHotPaused,
      pausedStateTTLSeconds: Math.max(
        this.config.executionState.ttl,
        this.config.executionState.maxPauseDuration,
      ),
      ...(execution.onApproval ? { onApproval: execution.onApproval } : {}),
      logger: this.logger.child({ component: 'runtime' }),
      onEvent: (event) => this.onExecutionEvent(event),
      onLog: (entry) =>
        this.logger.info(
          { executionId: entry.executionId, clientId: entry.clientId, data: entry.data },
          `[agent ${entry.level}] ${entry.message}`,
        ),
    });
  }

  private onExecutionEvent(event: ExecutionEvent): void {
    if (event.type === 'execution_pause') this.paused.paused(event.clientId, event.executionId);
    else if (event.type === 'execution_end') this.paused.ended(event.clientId, event.executionId);
    this.observability.onEvent(event);
    if (this.config.history.enabled) this.history.record(event);
    if (event.type === 'execution_end') {
      const { type: _type, ...rest } = event;
      // The audit record carries the execution's cost, known once its last call returns.
      this.observability.whenAccounted(event, (accounting) => {
        if (this.config.history.enabled) this.history.ended(event, accounting);
        this.audit({
          ...rest,
          ...accounting,
          type: event.status === 'completed' ? 'execution_complete' : 'execution_fail',
        });
      });
      return;
    }
    this.audit(event as unknown as AuditEvent);
  }

  private async requireSession(clientId: string): Promise<ClientSession> {
    const session = await this.sessions.get(clientId);
    if (!session)
      throw new AuthenticationError('This client is unknown or its session expired; call init again.');
    return session;
  }

  private assertAccepting(): void {
    if (this.draining) {
      throw new AtpError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'The server is shutting down and accepts no new work.',
        {
          httpStatus: 503,
          retryable: true,
        },
      );
    }
  }
}

function splitList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function stringListParam(value: unknown, field: string): string | string[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  const message = 'must be a comma-separated string or a list of strings';
  throw new ValidationError(`Invalid definitions query: ${field}: ${message}`, [{ path: field, message }]);
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the in-process engine: the whole ATP server without HTTP. */
export function createEngine(config: ServerConfigInput = {}): AtpEngine {
  return new AtpEngine(config);
}
