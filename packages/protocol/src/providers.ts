import type { JSONSchema } from './api.js';
import type { AuditEvent } from './audit.js';

/**
 * Key-value storage shared by server instances: sessions, paused state, journals, `atp.cache`,
 * rate limits. Values are JSON-serialisable. TTLs are in seconds; omitted means no expiry.
 */
export interface CacheProvider {
  readonly name: string;
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /** Sets only when the key is absent; true when this call set it (a lock acquire). */
  setIfAbsent(key: string, value: unknown, ttlSeconds?: number): Promise<boolean>;
  /** Deletes only when the stored value equals `expected` (a lock release by its owner). */
  deleteIfEquals(key: string, expected: unknown): Promise<boolean>;
  /** Atomically adds `by` (default 1) and returns the new value; the TTL is set when the key is created. */
  increment(key: string, by?: number, ttlSeconds?: number): Promise<number>;
  /** Atomically appends to a list (an append-only journal) and returns the new length. */
  append(key: string, value: unknown, ttlSeconds?: number): Promise<number>;
  /** List items from `start` to `end` inclusive (negative counts from the end), like Redis LRANGE. */
  range<T = unknown>(key: string, start?: number, end?: number): Promise<T[]>;
  /** Sets a new TTL on an existing key; false when the key does not exist. */
  expire(key: string, ttlSeconds: number): Promise<boolean>;
  /** Every key starting with `prefix` (implementations iterate incrementally, never block). */
  keys(prefix: string): AsyncIterable<string>;
  /** Reachability check for readiness probes. */
  ping?(): Promise<boolean>;
  /**
   * The store's memory bound and what it does when full (Redis: `maxmemory` and `maxmemory-policy`);
   * undefined when it cannot tell. The engine warns at startup when system state could be evicted.
   */
  memoryPolicy?(): Promise<CacheMemoryPolicy | undefined>;
  close?(): Promise<void>;
}

/** How a shared store frees memory (see `CacheProvider.memoryPolicy`). */
export interface CacheMemoryPolicy {
  /** The memory bound in bytes; 0 means none (nothing is ever evicted). */
  maxBytes: number;
  /** e.g. `noeviction`, `allkeys-lru`, `volatile-ttl`. */
  policy: string;
}

export interface AuditSink {
  readonly name: string;
  write(event: AuditEvent): void | Promise<void>;
  flush?(): Promise<void>;
  close?(): Promise<void>;
}

export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  clientInfo?: Record<string, unknown>;
  ip?: string;
}

export type AuthResult =
  | { allowed: true; userId?: string; scopes?: string[]; claims?: Record<string, unknown> }
  | { allowed: false; reason: string };

/** Decides who may call `init`. */
export interface AuthProvider {
  readonly name: string;
  authenticate(request: AuthRequest): Promise<AuthResult>;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
  scope?: string;
  tokenType?: string;
}

export interface OAuthAuthorizeRequest {
  state: string;
  /** Where the provider sends the browser back; defaults to the provider's own `redirectUri`. */
  redirectUri?: string;
  codeChallenge: string;
  scopes?: string[];
}

export interface OAuthProvider {
  readonly name: string;
  /** The callback URL registered with the provider, when the provider was configured with one. */
  readonly redirectUri?: string | undefined;
  authorizationUrl(request: OAuthAuthorizeRequest): string;
  /** `redirectUri` defaults to the provider's own. */
  exchangeCode(code: string, codeVerifier: string, redirectUri?: string): Promise<OAuthTokens>;
  refresh(refreshToken: string): Promise<OAuthTokens>;
}

/** Compatible with LangChain's `Embeddings`: any such object can be passed as-is. */
export interface EmbeddingsLike {
  embedQuery(text: string): Promise<number[]>;
  embedDocuments(texts: string[]): Promise<number[][]>;
}

/** The provider-neutral LLM shape clients use to answer `atp.llm.*` callbacks. */
export interface LLMProvider {
  call(prompt: string, options?: Record<string, unknown>): Promise<string>;
  extract?(prompt: string, schema: JSONSchema, options?: Record<string, unknown>): Promise<unknown>;
  classify?(text: string, categories: string[], options?: Record<string, unknown>): Promise<string>;
}

export interface ApprovalProvider {
  request(message: string, context?: unknown): Promise<{ approved: boolean; reason?: string }>;
}
