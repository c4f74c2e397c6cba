import type {
  AuthProvider,
  AuthRequest,
  DefinitionsResponse,
  ExecutionResult,
  ExploreResponse,
  InitResponse,
  LogEntry,
  ProgressEvent,
  SearchResponse,
} from '@agent-tool-protocol/protocol';

/** Streams an execution's `atp.log` / `atp.progress` events while it runs. */
export interface ExecutionListeners {
  onLog?(entry: LogEntry): void;
  onProgress?(event: ProgressEvent): void;
}

/**
 * The part of the ATP engine that ATP-over-MCP uses. `ATPEngine` from `@agent-tool-protocol/engine`
 * (`createEngine()`, or `server.engine` of an ATP server) satisfies it; this package imports neither.
 */
export interface ATPEngineLike {
  init(body: unknown, request?: AuthRequest): Promise<InitResponse>;
  search(body: unknown): SearchResponse | Promise<SearchResponse>;
  explore(body: unknown): ExploreResponse | Promise<ExploreResponse>;
  definitions(query: unknown): DefinitionsResponse | Promise<DefinitionsResponse>;
  runtimeDefinitions(clientId: string, apis?: string | string[]): Promise<string>;
  execute(clientId: string, body: unknown, listeners?: ExecutionListeners): Promise<ExecutionResult>;
  resume(
    clientId: string,
    executionId: string,
    body: unknown,
    listeners?: ExecutionListeners,
  ): Promise<ExecutionResult>;
  cancel?(clientId: string, executionId: string): Promise<unknown>;
  /**
   * Verifies an `Authorization` header carrying a client token from init (`Bearer <token>`) and resolves
   * the client it belongs to (and whose session still exists); rejects with an AtpError (`UNAUTHORIZED`,
   * `TOKEN_EXPIRED`) otherwise. The HTTP handler uses it to let `/api` tokens open MCP sessions.
   */
  authenticate?(
    authorization: string | undefined,
    clientIdHeader: string | undefined,
  ): Promise<{ clientId: string }>;
  /** The auth provider `init` consults, if one is configured: the HTTP handler checks it on every request. */
  getAuthProvider?(): AuthProvider | undefined;
}
