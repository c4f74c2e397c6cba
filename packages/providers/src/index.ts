export {
  createMemoryCache,
  MemoryCache,
  type MemoryCacheOptions,
  silentLogger,
} from '@agent-tool-protocol/protocol';
export {
  type AuditRecord,
  type AuditSinkStats,
  createJSONLAuditSink,
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
  APIKeyAuthProvider,
  type APIKeyAuthProviderOptions,
  type APIKeyEntry,
  type APIKeyValidation,
  createAPIKeyAuthProvider,
} from './auth/api-key-auth-provider.js';
export {
  createJWTAuthProvider,
  JWTAuthProvider,
  type JWTAuthProviderOptions,
} from './auth/jwt-auth-provider.js';
export { createRedisCache, RedisCache, type RedisCacheOptions } from './cache/redis-cache.js';
export {
  FAIL_FAST_DEFAULTS as REDIS_FAIL_FAST_DEFAULTS,
  type RedisSource,
} from './cache/redis-connection.js';
export {
  ApiKeyAuthProvider,
  type ApiKeyAuthProviderOptions,
  type ApiKeyEntry,
  type ApiKeyValidation,
  createPkcePair,
  type PkcePair,
  type ProviderLogger,
} from './deprecated.js';
export { OAuthConsentRequiredError, OAuthError, OAuthErrorCode, OAuthStateError } from './oauth/errors.js';
export {
  type BeginAuthorization,
  type CallbackParams,
  type CompletedAuthorization,
  createOAuthFlow,
  OAuthFlow,
  type OAuthFlowOptions,
} from './oauth/oauth-flow.js';
export { createOAuth2Provider, OAuth2Provider, type OAuth2ProviderOptions } from './oauth/oauth2-provider.js';
export { createPKCEPair, type PKCEPair, pkceChallenge } from './oauth/pkce.js';
export {
  createOAuthStateStore,
  type OAuthStateRecord,
  OAuthStateStore,
  type OAuthStateStoreOptions,
} from './oauth/state-store.js';
export type { EncryptionKey } from './oauth/token-cipher.js';
export {
  createOAuthTokenStore,
  type OAuthCredentials,
  OAuthTokenStore,
  type OAuthTokenStoreOptions,
} from './oauth/token-store.js';
export {
  createGitHubOAuthProvider,
  createGoogleOAuthProvider,
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
