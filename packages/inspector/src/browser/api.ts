import type {
  CallbackResult,
  ClientToolDefinition,
  DefinitionsResponse,
  ExecutionResult,
  ExecutionSummary,
  ExecutionTrail,
  ExploreResponse,
  InfoResponse,
  InitResponse,
  LogEntry,
  ProgressEvent,
  SearchResult,
} from '@agent-tool-protocol/protocol';
import { readServerSentEvents } from './sse.js';

export interface StreamListeners {
  onProgress?(event: ProgressEvent): void;
  onLog?(entry: LogEntry): void;
}

export interface Services {
  hasLLM: boolean;
  hasApproval: boolean;
  hasEmbedding: boolean;
}

/** An error answer from the server: `{error, code}` with its HTTP status. */
export class APIError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'APIError';
  }
}

interface Session {
  clientId: string;
  token: string;
  expiresAt?: number;
}

/**
 * The page's ATP client: same-origin fetch calls, one execution leg at a time (the person answers
 * callbacks in between), and the token kept in memory only.
 */
export class InspectorAPI {
  private session: Session | undefined;

  constructor(private readonly baseUrl: string) {}

  get clientId(): string | undefined {
    return this.session?.clientId;
  }

  get expiresAt(): number | undefined {
    return this.session?.expiresAt;
  }

  /** Uses a token obtained elsewhere (e.g. by the agent being debugged). */
  useToken(clientId: string, token: string): void {
    this.session = { clientId, token };
  }

  disconnect(): void {
    this.session = undefined;
  }

  async init(options: {
    services: Services;
    tools?: ClientToolDefinition[];
    initAuthorization?: string;
  }): Promise<InitResponse> {
    const response = await this.request<InitResponse>('POST', 'api/init', {
      body: {
        clientInfo: { name: 'atp-inspector' },
        services: { ...options.services, hasTools: (options.tools?.length ?? 0) > 0 },
        tools: options.tools ?? [],
      },
      authenticated: false,
      ...(options.initAuthorization ? { headers: { authorization: options.initAuthorization } } : {}),
    });
    this.session = { clientId: response.clientId, token: response.token, expiresAt: response.expiresAt };
    return response;
  }

  info(): Promise<InfoResponse> {
    return this.request('GET', 'api/info', { authenticated: false });
  }

  async search(query: string, maxResults = 20): Promise<SearchResult[]> {
    return (
      await this.request<{ results: SearchResult[] }>('POST', 'api/search', { body: { query, maxResults } })
    ).results;
  }

  explore(path: string): Promise<ExploreResponse> {
    return this.request('POST', 'api/explore', { body: { path } });
  }

  definitions(
    options: { apiGroups?: string[]; detail?: 'full' | 'compact' } = {},
  ): Promise<DefinitionsResponse> {
    const query = new URLSearchParams();
    if (options.apiGroups?.length) query.set('apiGroups', options.apiGroups.join(','));
    if (options.detail) query.set('detail', options.detail);
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.request('GET', `api/definitions${suffix}`);
  }

  runtime(): Promise<string> {
    return this.request('GET', 'api/runtime', { text: true });
  }

  async executions(): Promise<ExecutionSummary[]> {
    return (await this.request<{ executions: ExecutionSummary[] }>('GET', 'api/executions')).executions;
  }

  execution(executionId: string): Promise<ExecutionTrail> {
    return this.request('GET', `api/executions/${encodeURIComponent(executionId)}`);
  }

  /** Runs code until it ends or pauses; progress and logs arrive while it runs. */
  execute(code: string, listeners: StreamListeners): Promise<ExecutionResult> {
    return this.stream('api/execute/stream', { code }, listeners);
  }

  resume(
    executionId: string,
    results: CallbackResult[],
    listeners: StreamListeners,
  ): Promise<ExecutionResult> {
    return this.stream(`api/resume/${encodeURIComponent(executionId)}/stream`, { results }, listeners);
  }

  async cancel(executionId: string): Promise<void> {
    await this.request('POST', `api/cancel/${encodeURIComponent(executionId)}`, { body: {} });
  }

  private async stream(path: string, body: unknown, listeners: StreamListeners): Promise<ExecutionResult> {
    const response = await this.send('POST', path, { body });
    if (!response.headers.get('content-type')?.includes('text/event-stream') || !response.body) {
      return (await response.json()) as ExecutionResult;
    }
    for await (const { event, data } of readServerSentEvents(response.body)) {
      if (event === 'progress') listeners.onProgress?.(data as ProgressEvent);
      else if (event === 'log') listeners.onLog?.(data as LogEntry);
      else if (event === 'result') return data as ExecutionResult;
      else if (event === 'error') {
        const failure = data as { message: string; code?: string };
        throw new APIError(failure.message, 500, failure.code);
      }
    }
    throw new APIError('The stream ended without a result.', 502);
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: {
      body?: unknown;
      authenticated?: boolean;
      text?: boolean;
      headers?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const response = await this.send(method, path, options);
    return (options.text ? await response.text() : await response.json()) as T;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; authenticated?: boolean; headers?: Record<string, string> },
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.authenticated !== false) {
      if (!this.session)
        throw new APIError('Not connected: press Connect or enter a token first.', 0, 'UNAUTHORIZED');
      headers.authorization = `Bearer ${this.session.token}`;
      headers['x-client-id'] = this.session.clientId;
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const rotated = response.headers.get('x-atp-token');
    if (rotated && this.session) {
      this.session.token = rotated;
      const expires = Number(response.headers.get('x-atp-token-expires'));
      if (Number.isFinite(expires) && expires > 0) this.session.expiresAt = expires;
    }
    if (!response.ok) {
      const text = await response.text();
      let message = `HTTP ${response.status}`;
      let code: string | undefined;
      try {
        const parsed = JSON.parse(text) as { error?: string; code?: string };
        message = parsed.error ?? message;
        code = parsed.code;
      } catch {
        // not JSON: keep the status line
      }
      throw new APIError(message, response.status, code);
    }
    return response;
  }
}
