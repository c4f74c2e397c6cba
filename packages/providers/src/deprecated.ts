import type { Logger } from '@agent-tool-protocol/protocol';
import {
  APIKeyAuthProvider,
  type APIKeyAuthProviderOptions,
  type APIKeyEntry,
  type APIKeyValidation,
} from './auth/api-key-auth-provider.js';
import { createPKCEPair, type PKCEPair } from './oauth/pkce.js';

// Names from before acronyms were upper case everywhere (API, JWT…), kept so imports keep working.

/** @deprecated Renamed `APIKeyAuthProvider`. */
export const ApiKeyAuthProvider = APIKeyAuthProvider;
/** @deprecated Renamed `APIKeyAuthProvider`. */
export type ApiKeyAuthProvider = APIKeyAuthProvider;
/** @deprecated Renamed `APIKeyAuthProviderOptions`. */
export type ApiKeyAuthProviderOptions = APIKeyAuthProviderOptions;
/** @deprecated Renamed `APIKeyEntry`. */
export type ApiKeyEntry = APIKeyEntry;
/** @deprecated Renamed `APIKeyValidation`. */
export type ApiKeyValidation = APIKeyValidation;
/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape, plus `info`). */
export type ProviderLogger = Logger;
/** @deprecated Renamed `createPKCEPair`. */
export const createPkcePair = createPKCEPair;
/** @deprecated Renamed `PKCEPair`. */
export type PkcePair = PKCEPair;
