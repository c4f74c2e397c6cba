import { ATPEngine } from './engine.js';

// Names from before acronyms were upper case everywhere (ATP, API, MCP…), kept so imports keep working.

/** @deprecated Renamed `ATPEngine`. */
export const AtpEngine = ATPEngine;
/** @deprecated Renamed `ATPEngine`. */
export type AtpEngine = ATPEngine;
