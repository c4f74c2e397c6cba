export { MemoryCache, type MemoryCacheOptions } from '@agent-tool-protocol/protocol';
export {
  type AuditRecord,
  type AuditSinkStats,
  JSONLAuditSink,
  type JSONLAuditSinkOptions,
} from './audit/jsonl-audit-sink.js';
export {
  type ArgumentsMode,
  createRedactor,
  REDACTED,
  type RedactionOptions,
  type Redactor,
} from './audit/redact.js';
export {
  ApiKeyAuthProvider,
  type ApiKeyAuthProviderOptions,
  type ApiKeyEntry,
  type ApiKeyValidation,
} from './auth/api-key-auth-provider.js';
export { JWTAuthProvider, type JWTAuthProviderOptions } from './auth/jwt-auth-provider.js';
export { RedisCache, type RedisCacheOptions } from './cache/redis-cache.js';
export {
  FAIL_FAST_DEFAULTS as REDIS_FAIL_FAST_DEFAULTS,
  type RedisSource,
} from './cache/redis-connection.js';
export { type ProviderLogger, silentLogger } from './logger.js';
export { OAuthConsentRequiredError, OAuthError, OAuthErrorCode, OAuthStateError } from './oauth/errors.js';
export {
  type BeginAuthorization,
  type CallbackParams,
  type CompletedAuthorization,
  OAuthFlow,
  type OAuthFlowOptions,
} from './oauth/oauth-flow.js';
export { OAuth2Provider, type OAuth2ProviderOptions } from './oauth/oauth2-provider.js';
export { createPkcePair, type PkcePair, pkceChallenge } from './oauth/pkce.js';
export { type OAuthStateRecord, OAuthStateStore, type OAuthStateStoreOptions } from './oauth/state-store.js';
export type { EncryptionKey } from './oauth/token-cipher.js';
export { type OAuthCredentials, OAuthTokenStore, type OAuthTokenStoreOptions } from './oauth/token-store.js';
export {
  GitHubOAuthProvider,
  GoogleOAuthProvider,
  type GoogleOAuthProviderOptions,
  type WellKnownProviderOptions,
} from './oauth/well-known-providers.js';
export {
  type OAuthCredentialSource,
  type OAuthInvocationContext,
  withOAuthCredentials,
} from './oauth/with-oauth-credentials.js';
