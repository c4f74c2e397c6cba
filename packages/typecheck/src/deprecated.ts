import type { APIDeclarations } from './checker.js';

/** @deprecated Renamed `APIDeclarations` (acronyms are upper case). */
export type ApiDeclarations = APIDeclarations;
