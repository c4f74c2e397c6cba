import { Catalog } from '@agent-tool-protocol/catalog';
import {
  type APIGroup,
  type AuditEventInput,
  type AuthRequest,
  type CacheProvider,
  childLogger,
  type DefinitionsResponse,
  ErrorCode,
  type ExecutionResult,
  type ExecutionSummary,
  type ExecutionTrail,
  type ExploreResponse,
  type InfoResponse,
  type InitResponse,
  type Logger,
  NotFoundError,
  type OAuthAPIGroup,
  type PlanRecord,
  type PlanResult,
  type SearchResponse,
  type TokenResponse,
} from '@agent-tool-protocol/protocol';
import { createExecutor, type Executor } from '@agent-tool-protocol/runtime';
import { AuditLog } from './audit/audit-log.js';
import { ClientAuth } from './clients/client-auth.js';
import { SessionStore } from './clients/session-store.js';
import { type TokenClaims, TokenService } from './clients/token-service.js';
import { type EngineConfig, type EngineConfigInput, parseEngineConfig } from './config/engine-config.js';
import { freezeConfig } from './config/freeze.js';
import { DiscoveryService } from './discovery/discovery-service.js';
import { ConcurrencyLimiter } from './executions/concurrency.js';
import { routeExecutionEvents } from './executions/execution-events.js';
import { ExecutionService, type StreamListeners } from './executions/execution-service.js';
import { executorConfig, pausedStateTTLSeconds } from './executions/executor-config.js';
import { PausedTracker } from './executions/paused-tracker.js';
import { ExecutionHistory } from './history/execution-history.js';
import { InitRateLimit } from './limits/init-rate-limit.js';
import { RateLimiters } from './limits/rate-limiters.js';
import { createLogger } from './logger.js';
import { OAuthService } from './oauth/oauth-service.js';
import { PlanService } from './plans/plan-service.js';
import { DurableStateMeter } from './quotas/durable-state-meter.js';
import { QuotaLedger } from './quotas/quota-ledger.js';
import { StoreLock } from './quotas/store-lock.js';
import { QuotaUserCache } from './quotas/user-cache.js';
import { buildSecurityHooks, composeHooks } from './security/security-layer.js';
import { sleep } from './sleep.js';
import { memoryPolicyWarnings } from './storage/memory-policy-check.js';
import { createSystemMemoryStore, createUserMemoryCache } from './storage/memory-stores.js';
import { ExecutionObserver } from './telemetry/execution-observer.js';
import { globalTelemetry } from './telemetry/telemetry.js';
import { TypecheckGate } from './typecheck/typecheck-gate.js';
import { ENGINE_VERSION } from './version.js';

/**
 * Everything an ATP server does, without HTTP: usable in-process by library users and wrapped by the
 * server's express routes. Configured once, at construction (`createEngine(config)`); methods take an
 * authenticated clientId, which `init` makes and `authenticate` checks.
 */
export class ATPEngine {
  /** The validated config; frozen. */
  readonly config: EngineConfig;
  readonly catalog: Catalog;
  readonly logger: Logger;
  /** System state: sessions, paused state, journals, plans, history, OAuth tokens, quota ledgers. */
  readonly cache: CacheProvider;
  /** `atp.cache` data (the same store as `cache` when only that was configured). */
  readonly userCache: CacheProvider;
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
  /** The security layer (docs/security.md); undefined with `execution.security: false`. */
  readonly security: ReturnType<typeof buildSecurityHooks>;
  private readonly auditLog: AuditLog;
  private readonly clients: ClientAuth;
  private readonly discovery: DiscoveryService;
  private readonly executions: ExecutionService;
  private readonly limiter: ConcurrencyLimiter;
  private readonly paused: PausedTracker;
  private readonly durableState: DurableStateMeter;
  private readonly agentCache: QuotaUserCache;
  private executorInstance: Executor | undefined;

  constructor(input: EngineConfigInput = {}) {
    const config = freezeConfig(parseEngineConfig(input));
    this.config = config;
    this.logger = createLogger(config.logger);
    this.cache = config.cache ?? createSystemMemoryStore();
    this.userCache = config.userCache ?? config.cache ?? createUserMemoryCache();
    // Hybrid search when `discovery.embeddings` is set (function embeddings kept in the cache), and
    // output types inferred from results (docs/discovery.md).
    const { embeddings, inferOutputTypes, includeSensitiveOutputs, shareInferredOutputs } = config.discovery;
    const catalogLogger = childLogger(this.logger, { component: 'catalog' });
    this.catalog = new Catalog({
      logger: catalogLogger,
      validateOutputs: config.catalog.validateOutputs,
      pagination: { defaultMaxItems: config.catalog.pagination.defaultMaxItems },
      ...(embeddings ? { semanticSearch: { embeddings, cache: this.cache, logger: catalogLogger } } : {}),
      ...(inferOutputTypes
        ? {
            outputInference: {
              cache: this.cache,
              includeSensitive: includeSensitiveOutputs,
              fieldNames: shareInferredOutputs,
            },
          }
        : {}),
    });
    this.auditLog = new AuditLog({ ...config.audit, logger: this.logger });
    const audit = (event: AuditEventInput) => this.audit(event);
    const production =
      (config.mode ?? (process.env.NODE_ENV === 'production' ? 'production' : 'development')) ===
      'production';
    this.clients = new ClientAuth({
      sessions: new SessionStore(this.cache, config.clientInit.tokenTTL),
      tokens: new TokenService({
        secret: config.auth.jwtSecret ?? process.env.ATP_JWT_SECRET,
        production,
        ttlSeconds: config.clientInit.tokenTTL,
        rotationSeconds: config.clientInit.tokenRotation,
        logger: this.logger,
      }),
      provider: config.auth.provider,
      rateLimit: new InitRateLimit(config.clientInit, new RateLimiters(this.cache)),
      quotas: config.quotas.init,
      audit,
    });
    const locks = new StoreLock(this.cache);
    this.agentCache = new QuotaUserCache(
      this.userCache,
      new QuotaLedger(this.cache, locks, 'cache'),
      config.quotas.cache,
    );
    this.durableState = new DurableStateMeter(
      this.cache,
      new QuotaLedger(this.cache, locks, 'paused'),
      {
        maxBytes: config.quotas.paused.maxBytes,
        maxPaused: config.execution.maxPausedPerClient,
        ttlSeconds: pausedStateTTLSeconds(config),
      },
      this.logger,
    );
    this.plans = new PlanService({ config: config.plans, catalog: this.catalog, cache: this.cache, audit });
    this.typecheck = new TypecheckGate(this.catalog, childLogger(this.logger, { component: 'typecheck' }));
    this.observability = new ExecutionObserver({
      telemetry: config.telemetry ?? globalTelemetry(this.version),
      cache: this.cache,
      pausedTTLSeconds: pausedStateTTLSeconds(config),
      maxPauseSeconds: pausedStateTTLSeconds(config),
      gauges: { executorStats: () => this.executorInstance?.stats() },
      logger: this.logger,
    });
    this.history = new ExecutionHistory({
      cache: this.cache,
      ttlSeconds: config.executionState.ttl,
      maxExecutions: config.history.maxExecutions,
      maxEvents: config.history.maxEvents,
      logger: this.logger,
    });
    this.oauth = new OAuthService({
      config: config.oauth,
      cache: this.cache,
      userIdOf: (clientId) => this.clients.userIdOf(clientId),
      groupOf: (name) => this.catalog.getGroup(name),
      listGroups: () => this.catalog.listGroups().flatMap(({ name }) => this.catalog.getGroup(name) ?? []),
      mode: config.mode,
      jwtSecret: config.auth.jwtSecret ?? process.env.ATP_JWT_SECRET,
      logger: childLogger(this.logger, { component: 'oauth' }),
    });
    this.limiter = new ConcurrencyLimiter(
      config.execution.maxConcurrent,
      config.execution.maxConcurrentPerClient,
    );
    this.security = buildSecurityHooks(config.execution, this.catalog, this.logger);
    this.paused = new PausedTracker(pausedStateTTLSeconds(config));
    this.discovery = new DiscoveryService(this.catalog, () => this.security?.guidance());
    this.executions = new ExecutionService({
      config,
      executor: () => this.executor,
      clients: this.clients,
      observer: this.observability,
      plans: this.plans,
      typecheck: this.typecheck,
      limiter: this.limiter,
      durableState: this.durableState,
    });
    for (const group of config.apiGroups) this.addAPIGroup(group);
    void this.checkStorage();
  }

  /**
   * Warns (in the log, and in the answer) when a store could evict system state, e.g. a Redis whose
   * `maxmemory-policy` is not `noeviction` (docs/deployment.md). Runs once at construction.
   */
  async checkStorage(): Promise<string[]> {
    const warnings = await memoryPolicyWarnings(this.cache, this.userCache).catch(() => []);
    for (const warning of warnings) this.logger.warn({ component: 'storage' }, warning);
    return warnings;
  }

  get version(): string {
    return this.config.version ?? ENGINE_VERSION;
  }

  /**
   * Adds an API group; groups may be added (and replaced through `catalog`) at any time. An `oauth` group
   * with an `oauthProvider` registers that provider first (a ConfigError, and nothing added, when it
   * cannot be used); its handlers then get the caller's credentials as their second argument.
   */
  addAPIGroup(group: OAuthAPIGroup): this;
  addAPIGroup(group: APIGroup): this;
  addAPIGroup(input: APIGroup | OAuthAPIGroup): this {
    // An OAuthAPIGroup's handlers declare `accessToken` as always present: the OAuth dispatcher
    // guarantees it for `oauth` groups, so the registry may store them as ordinary groups.
    const group = input as APIGroup;
    this.oauth.registerGroup(group);
    this.catalog.addGroup(group);
    this.logger.info({ group: group.name, functions: group.functions.length }, 'API group added');
    return this;
  }

  /** @deprecated Read `engine.cache`. */
  getCacheProvider(): CacheProvider {
    return this.cache;
  }

  /** The runtime's executor, created on first use (it starts the isolate pool). */
  get executor(): Executor {
    this.executorInstance ??= createExecutor(
      executorConfig(this.config, {
        dispatcher: this.plans.dispatcher(
          this.observability.instrumentDispatcher(this.oauth.dispatcher(this.catalog)),
        ),
        cache: this.durableState,
        userCache: this.agentCache,
        hooks: this.plans.hooks(composeHooks(this.security, this.config.execution.hooks)),
        logger: this.logger,
        onEvent: routeExecutionEvents({
          durableState: this.durableState,
          paused: this.paused,
          observer: this.observability,
          history: this.config.history.enabled ? this.history : undefined,
          audit: (event) => this.audit(event),
        }),
      }),
    );
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

  // ---- clients -----------------------------------------------------------------------------------

  init(body: unknown, request: AuthRequest = { headers: {} }): Promise<InitResponse> {
    return this.clients.init(body, request);
  }

  /** Verifies a bearer token and that it belongs to the `X-Client-ID` given (when given). */
  authenticate(authorization: string | undefined, clientIdHeader: string | undefined): Promise<TokenClaims> {
    return this.clients.authenticate(authorization, clientIdHeader);
  }

  /** A rotated token for an authenticated client whose token is past its rotation time. */
  rotatedToken(claims: TokenClaims): Promise<TokenResponse | undefined> {
    return this.clients.rotatedToken(claims);
  }

  refreshToken(clientId: string): Promise<TokenResponse> {
    return this.clients.refreshToken(clientId);
  }

  // ---- discovery ---------------------------------------------------------------------------------

  definitions(query: unknown): DefinitionsResponse {
    return this.discovery.definitions(query);
  }

  async runtimeDefinitions(clientId: string, apis?: string | string[]): Promise<string> {
    const session = await this.clients.requireSession(clientId);
    return this.discovery.runtimeDefinitions(session.services, apis);
  }

  search(body: unknown): SearchResponse {
    return this.discovery.search(body);
  }

  /** Like `search`, hybrid (keyword + embeddings) when `discovery.embeddings` is configured. */
  searchHybrid(body: unknown): Promise<SearchResponse> {
    return this.discovery.searchHybrid(body);
  }

  explore(body: unknown): ExploreResponse {
    return this.discovery.explore(body);
  }

  // ---- executions --------------------------------------------------------------------------------

  execute(clientId: string, body: unknown, listeners: StreamListeners = {}): Promise<ExecutionResult> {
    return this.executions.execute(clientId, body, listeners);
  }

  /**
   * Runs `code` with every side effect recorded instead of performed and answers the plan: its
   * `planId` and `effects` (docs/plans.md). A paused plan continues with `resume`.
   */
  plan(clientId: string, body: unknown, listeners: StreamListeners = {}): Promise<PlanResult> {
    return this.executions.plan(clientId, body, listeners);
  }

  /** One of this client's plans; another client's is not found. */
  getPlan(clientId: string, planId: string): Promise<PlanRecord> {
    return this.plans.get(clientId, planId);
  }

  /** Records that the plan was not approved; it can no longer run. */
  rejectPlan(clientId: string, planId: string, reason?: string): Promise<PlanRecord> {
    return this.plans.reject(clientId, planId, reason);
  }

  resume(
    clientId: string,
    executionId: string,
    body: unknown,
    listeners: StreamListeners = {},
  ): Promise<ExecutionResult> {
    return this.executions.resume(clientId, executionId, body, listeners);
  }

  cancel(clientId: string, executionId: string): Promise<boolean> {
    return this.executions.cancel(clientId, executionId);
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

  get runningExecutions(): number {
    return this.limiter.running;
  }

  /** Executions that paused on this instance and have not ended (the limit per client is counted on every instance). */
  get pausedExecutions(): number {
    return this.paused.total;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

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
      accepting: this.executions.accepting,
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

  /** Stops accepting executions, waits up to `graceMs` for running ones, then closes providers. */
  async shutdown(graceMs = 10_000): Promise<void> {
    await this.executions.drain(graceMs);
    await this.executorInstance?.dispose();
    this.executorInstance = undefined;
    await this.history.flush();
    this.security?.close();
    await this.auditLog.close();
    await this.observability.shutdown();
  }

  /** Writes an audit event to every configured sink (when `audit.enabled`). */
  audit(event: AuditEventInput): void {
    this.auditLog.write(event);
  }
}

/** Creates the in-process engine: the whole ATP server without HTTP. The config is validated here, once. */
export function createEngine(config: EngineConfigInput = {}): ATPEngine {
  return new ATPEngine(config);
}
