import { type APIGroup, MemoryCache } from '@agent-tool-protocol/protocol';
import { createExecutor, createSimpleDispatcher, type Executor, type ExecutorConfig } from '../src/index.js';

export function group(
  name: string,
  functions: Record<string, (input: any, context: any) => unknown>,
): APIGroup {
  return {
    name,
    type: 'custom',
    functions: Object.entries(functions).map(([fnName, handler]) => ({ name: fnName, handler })),
  };
}

/** Creates executors and disposes them after each test file. */
export function executors() {
  const created: Executor[] = [];
  afterAll(async () => {
    for (const executor of created) await executor.dispose();
  });
  return (groups: APIGroup[] = [], config: Partial<ExecutorConfig> = {}): Executor => {
    const executor = createExecutor({
      dispatcher: createSimpleDispatcher(groups),
      cache: new MemoryCache(),
      isolatePoolSize: 1,
      ...config,
    });
    created.push(executor);
    return executor;
  };
}

export const CLIENT = { clientId: 'client-1' };
export const ALL_SERVICES = { hasLLM: true, hasApproval: true, hasEmbedding: true, hasTools: true };
