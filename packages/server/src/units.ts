// Unit constants the original ATP server exported, for readable configs:
// `execution: { timeout: 2 * MINUTE, memory: 256 * MB }`. Times are milliseconds (what `execution.timeout`
// takes); `executionState.ttl` and `clientInit.tokenTTL` are seconds, so write `2 * HOUR / SECOND` there.

/** Bytes in a kibibyte. */
export const KB = 1024;
/** Bytes in a mebibyte (`memory: 256 * MB`). */
export const MB = 1024 * KB;
/** Bytes in a gibibyte. */
export const GB = 1024 * MB;

/** One second, in milliseconds. */
export const SECOND = 1000;
/** One minute, in milliseconds. */
export const MINUTE = 60 * SECOND;
/** One hour, in milliseconds. */
export const HOUR = 60 * MINUTE;
/** One day, in milliseconds. */
export const DAY = 24 * HOUR;
