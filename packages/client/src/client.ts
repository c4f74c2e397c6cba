import {
  type CallbackResult,
  type ClientToolDefinition,
  callbackError,
  type DefinitionsResponse,
  ErrorCode,
  type ExecutionConfig,
  type ExecutionResult,
  type ExploreResponse,
  type InfoResponse,
  type InitResponse,
  type LogEntry,
  type PendingCallback,
  type ProgressEvent,
  type SearchResult,
  type TokenResponse,
} from '@agent-tool-protocol/protocol';
import { ATPClientError } from './errors.js';
import type { PlanOptions, PlanRecord, PlanResult } from './plans.js';
import {
  type ApprovalHandler,
  CallbackServices,
  type ClientLLMProvider,
  type ClientTool,
  type EmbeddingProvider,
  type TokenUsage,
} from './providers.js';
import { readServerSentEvents } from './sse.js';

export interface AgentToolProtocolClientOptions {
  baseUrl: string;
  /** Extra headers on every request (e.g. an API key for the server's auth provider). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Most pause→resume round trips one `execute` may take before giving up. Default 1,000. */
  maxRoundTrips?: number;
}

export interface StreamOptions extends ExecutionConfig {
  onProgress?(event: ProgressEvent): void;
  onLog?(entry: LogEntry): void;
}

export interface SearchOptions {
  apiGroups?: string[];
  maxResults?: number;
}

interface Session {
  clientId: string;
  token: string;
  expiresAt: number;
  tokenRotateAt: number;
}

/**
 * The ATP client: init, discovery, and `execute`, which answers paused executions' callbacks
 * (several at once, concurrently) and resumes until the execution ends.
 */
export class AgentToolProtocolClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRoundTrips: number;
  private readonly services = new CallbackServices();
  private session: Session | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(options: AgentToolProtocolClientOptions) {
    if (!options?.baseUrl)
      throw new TypeError('AgentToolProtocolClient needs a baseUrl, e.g. http://localhost:3333');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.fetchImpl = options.fetch ?? fetch;
    this.maxRoundTrips = options.maxRoundTrips ?? 1000;
  }

  get clientId(): string | undefined {
    return this.session?.clientId;
  }

  /** `llm.call` may answer `{text, usage}`: the usage is sent with the answer for cost accounting. */
  provideLLM(llm: ClientLLMProvider): this {
    this.services.llm = llm;
    return this;
  }

  provideApproval(approval: ApprovalHandler): this {
    this.services.approval = approval;
    return this;
  }

  provideEmbedding(embedding: EmbeddingProvider): this {
    this.services.embedding = embedding;
    return this;
  }

  /** Tools that run in this process; agent code calls them as `api.<namespace ?? 'client'>.<name>()`. */
  provideTools(tools: ClientTool[]): this {
    for (const tool of tools) this.services.tools.set(tool.name, tool);
    return this;
  }

  /** Registers this client and its services; call after the provide* calls. */
  async init(clientInfo?: Record<string, unknown>): Promise<InitResponse> {
    const tools: ClientToolDefinition[] = [...this.services.tools.values()].map(
      ({ handler: _handler, ...definition }) => definition,
    );
    const response = await this.request<InitResponse>('POST', '/api/init', {
      body: { clientInfo, tools, services: this.services.flags() },
      authenticated: false,
    });
    this.session = { ...response };
    return response;
  }

  getServerInfo(): Promise<InfoResponse> {
    return this.request('GET', '/api/info', { authenticated: false });
  }

  async searchAPI(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const response = await this.request<{ results: SearchResult[] }>('POST', '/api/search', {
      body: { query, ...options },
    });
    return response.results;
  }

  /** Natural-language search, as in `client.searchQuery('How do I create a user?')`. */
  searchQuery(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.searchAPI(query, options);
  }

  exploreAPI(path = '/'): Promise<ExploreResponse> {
    return this.request('POST', '/api/explore', { body: { path } });
  }

  async getTypeDefinitions(options: { apiGroups?: string[] } = {}): Promise<string> {
    return (await this.getDefinitions(options)).typescript;
  }

  getDefinitions(options: { apiGroups?: string[] } = {}): Promise<DefinitionsResponse> {
    const query = options.apiGroups?.length
      ? `?apiGroups=${encodeURIComponent(options.apiGroups.join(','))}`
      : '';
    return this.request('GET', `/api/definitions${query}`);
  }

  getRuntimeDefinitions(options: { apis?: string[] } = {}): Promise<string> {
    const query = options.apis?.length ? `?apis=${encodeURIComponent(options.apis.join(','))}` : '';
    return this.request('GET', `/api/runtime${query}`, { text: true });
  }

  /** Runs agent code to its end, answering every callback the execution pauses for. */
  async execute(code: string, config: ExecutionConfig = {}): Promise<ExecutionResult> {
    const result = await this.request<ExecutionResult>('POST', '/api/execute', {
      body: {
        code,
        config: { ...config, clientServices: { ...this.services.flags(), ...config.clientServices } },
      },
    });
    return this.driveToEnd(result);
  }

  /**
   * Runs `code` with every write recorded instead of performed and returns the plan: its `planId`
   * and `effects` (docs/plans.md). Callbacks are answered as in `execute`. Approve it by running
   * `execute(code, { approvedPlan: plan.planId })`; reject it with `rejectPlan`.
   */
  async plan(code: string, config: PlanOptions = {}): Promise<PlanResult> {
    const result = await this.request<ExecutionResult>('POST', '/api/plan', {
      body: {
        code,
        config: { ...config, clientServices: { ...this.services.flags(), ...config.clientServices } },
      },
    });
    return (await this.driveToEnd(result)) as PlanResult;
  }

  getPlan(planId: string): Promise<PlanRecord> {
    return this.request('GET', `/api/plan/${encodeURIComponent(planId)}`);
  }

  /** Records that the plan was not approved (audited); it can no longer run. */
  rejectPlan(planId: string, reason?: string): Promise<PlanRecord> {
    return this.request('POST', `/api/plan/${encodeURIComponent(planId)}/reject`, {
      body: reason === undefined ? {} : { reason },
    });
  }

  /**
   * Like `execute`, with the execution's `atp.progress` and `atp.log` events delivered as they happen
   * (server-sent events), across every pause and resume.
   */
  async executeStream(code: string, options: StreamOptions = {}): Promise<ExecutionResult> {
    const { onProgress, onLog, ...config } = options;
    const listeners = { onProgress, onLog };
    const body = {
      code,
      config: { ...config, clientServices: { ...this.services.flags(), ...config.clientServices } },
    };
    let result = await this.stream('/api/execute/stream', body, listeners);
    for (let round = 0; result.status === 'paused'; round++) {
      if (round >= this.maxRoundTrips) break;
      const answers = await this.answerCallbacks(result);
      if (answers.length === 0) break;
      result = await this.stream(
        `/api/resume/${encodeURIComponent(result.executionId)}/stream`,
        { results: answers },
        listeners,
      );
    }
    return result;
  }

  /** Sends callback results for a paused execution (one `result`, or several by id) without looping. */
  resume(
    executionId: string,
    results: CallbackResult[] | { result: unknown; usage?: TokenUsage },
  ): Promise<ExecutionResult> {
    const body = Array.isArray(results) ? { results } : results;
    return this.request('POST', `/api/resume/${encodeURIComponent(executionId)}`, { body });
  }

  /** Resumes and keeps answering callbacks until the execution ends. */
  async resumeToEnd(executionId: string, results: CallbackResult[]): Promise<ExecutionResult> {
    return this.driveToEnd(await this.resume(executionId, results));
  }

  async cancel(executionId: string): Promise<void> {
    await this.request('POST', `/api/cancel/${encodeURIComponent(executionId)}`, { body: {} });
  }

  async refreshToken(): Promise<TokenResponse> {
    const session = this.requireSession();
    const token = await this.request<TokenResponse>('POST', '/api/token', { body: {}, skipRefresh: true });
    Object.assign(session, token);
    return token;
  }

  private async driveToEnd(first: ExecutionResult): Promise<ExecutionResult> {
    let result = first;
    for (let round = 0; result.status === 'paused'; round++) {
      if (round >= this.maxRoundTrips) {
        throw new ATPClientError(
          `Execution ${result.executionId} paused more than ${this.maxRoundTrips} times.`,
          0,
          ErrorCode.CALLBACK_ERROR,
        );
      }
      const answers = await this.answerCallbacks(result);
      if (answers.length === 0) return result;
      const single = !result.needsCallbacks && answers.length === 1;
      const [only] = answers;
      result = await this.resume(
        result.executionId,
        single && only ? { result: only.result, ...(only.usage ? { usage: only.usage } : {}) } : answers,
      );
    }
    return result;
  }

  /** Answers every pending callback concurrently; a failure becomes that callback's `__error` result. */
  private answerCallbacks(result: ExecutionResult): Promise<CallbackResult[]> {
    return Promise.all(
      pendingCallbacks(result).map(async (callback): Promise<CallbackResult> => {
        try {
          return { id: callback.id, ...(await this.services.answerWithUsage(callback)) };
        } catch (error) {
          return {
            id: callback.id,
            result: callbackError(error instanceof Error ? error.message : String(error)),
          };
        }
      }),
    );
  }

  private async stream(
    path: string,
    body: unknown,
    listeners: Pick<StreamOptions, 'onProgress' | 'onLog'>,
  ): Promise<ExecutionResult> {
    const response = await this.send('POST', path, { body });
    if (!response.body)
      throw new ATPClientError('The server sent an empty stream.', response.status, ErrorCode.INTERNAL_ERROR);
    if (!response.headers.get('content-type')?.includes('text/event-stream')) {
      return (await response.json()) as ExecutionResult;
    }
    for await (const { event, data } of readServerSentEvents(response.body)) {
      if (event === 'progress') listeners.onProgress?.(data as ProgressEvent);
      else if (event === 'log') listeners.onLog?.(data as LogEntry);
      else if (event === 'result') return data as ExecutionResult;
      else if (event === 'error') {
        const failure = data as { message: string; code?: string; details?: unknown };
        throw new ATPClientError(failure.message, 500, failure.code, failure.details);
      }
    }
    throw new ATPClientError('The stream ended without a result.', 502, ErrorCode.INTERNAL_ERROR);
  }

  private requireSession(): Session {
    if (!this.session)
      throw new ATPClientError(
        'The client is not initialised: call init() first.',
        0,
        ErrorCode.UNAUTHORIZED,
      );
    return this.session;
  }

  private async ensureFreshToken(): Promise<void> {
    const session = this.requireSession();
    if (Date.now() < session.tokenRotateAt) return;
    this.refreshing ??= this.refreshToken()
      .then(() => undefined)
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; authenticated?: boolean; text?: boolean; skipRefresh?: boolean } = {},
  ): Promise<T> {
    const response = await this.send(method, path, options);
    return (options.text ? await response.text() : await response.json()) as T;
  }

  /** Sends one request with auth headers; a non-2xx answer becomes an ATPClientError. */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; authenticated?: boolean; skipRefresh?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.authenticated !== false) {
      if (!options.skipRefresh) await this.ensureFreshToken();
      const session = this.requireSession();
      headers.authorization = `Bearer ${session.token}`;
      headers['x-client-id'] = session.clientId;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch (error) {
      throw new ATPClientError(
        `Could not reach the ATP server at ${this.baseUrl}: ${(error as Error).message}`,
        0,
        ErrorCode.SERVICE_UNAVAILABLE,
      );
    }
    this.takeRotatedToken(response);
    if (!response.ok) throw await toClientError(response);
    return response;
  }

  private takeRotatedToken(response: Response): void {
    const token = response.headers.get('x-atp-token');
    if (!token || !this.session) return;
    const expiresAt = Number(response.headers.get('x-atp-token-expires'));
    this.session.token = token;
    if (Number.isFinite(expiresAt) && expiresAt > 0) {
      const lifetime = expiresAt - Date.now();
      this.session.expiresAt = expiresAt;
      this.session.tokenRotateAt = Date.now() + lifetime / 2;
    }
  }
}

function pendingCallbacks(result: ExecutionResult): PendingCallback[] {
  if (result.needsCallbacks?.length) return result.needsCallbacks;
  if (result.needsCallback) return [{ id: '', ...result.needsCallback }];
  return [];
}

async function toClientError(response: Response): Promise<ATPClientError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: string; code?: string; details?: unknown };
    return new ATPClientError(
      body.error ?? `HTTP ${response.status}`,
      response.status,
      body.code,
      body.details,
    );
  } catch {
    return new ATPClientError(`HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
  }
}

/** An ATP client for the server at `options.baseUrl`. Same as `new AgentToolProtocolClient(…)`. */
export function createClient(options: AgentToolProtocolClientOptions): AgentToolProtocolClient {
  return new AgentToolProtocolClient(options);
}
