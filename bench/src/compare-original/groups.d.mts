import type { APIGroup } from '@agent-tool-protocol/protocol';

export function benchGroup(): APIGroup;
