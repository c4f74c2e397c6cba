import type { Logger } from '@agent-tool-protocol/protocol';

export { silentLogger } from '@agent-tool-protocol/protocol';

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape, plus `info`). */
export type ProviderLogger = Logger;
