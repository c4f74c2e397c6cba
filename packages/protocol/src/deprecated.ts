import { canonicalJSON } from './canonical-json.js';
import { ATPError, type ATPErrorOptions, isATPError } from './errors.js';
import type { APIDispatcher } from './execution.js';

// Names from before acronyms were upper case everywhere (ATP, API, JSON…), kept so imports keep working.

/** @deprecated Renamed `ATPError`. */
export const AtpError = ATPError;
/** @deprecated Renamed `ATPError`. */
export type AtpError = ATPError;
/** @deprecated Renamed `ATPErrorOptions`. */
export type AtpErrorOptions = ATPErrorOptions;
/** @deprecated Renamed `isATPError`. */
export const isAtpError = isATPError;
/** @deprecated Renamed `APIDispatcher`. */
export type ApiDispatcher = APIDispatcher;
/** @deprecated Renamed `canonicalJSON`. */
export const canonicalJson = canonicalJSON;
