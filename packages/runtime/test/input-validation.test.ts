import { type ApiDispatcher, type ToolCallContext, ValidationError } from '@agent-tool-protocol/protocol';
import { type ClientToolRef, createSimpleDispatcher } from '../src/index.js';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

// The input-validation seam: a ResolvedFunction's `validateInput` and the executor's
// `validateClientToolInput` run before hooks, approvals, handlers and client pauses; their error
// reaches agent code as a catchable Error with its code.

const make = executors();

function validatingDispatcher(calls: string[]): ApiDispatcher {
  const inner = createSimpleDispatcher([
    group('crm', {
      remove: ({ id }) => {
        calls.push(`remove ${id}`);
        return { removed: id };
      },
    }),
  ]);
  return {
    suggest: (path, limit) => inner.suggest(path, limit),
    resolve(path) {
      const fn = inner.resolve(path);
      if (!fn) return undefined;
      return {
        ...fn,
        metadata: { operationType: 'destructive' },
        validateInput(input) {
          const id = (input as { id?: unknown } | undefined)?.id;
          if (typeof id !== 'string') {
            throw new ValidationError(`crm.remove: input.id must be a string; got ${JSON.stringify(id)}`, [
              { path: 'input.id', message: 'must be a string' },
            ]);
          }
        },
      };
    },
  };
}

const checkTool = (tool: ClientToolRef, input: unknown): void => {
  const required = (tool.inputSchema?.required as string[] | undefined) ?? [];
  for (const key of required) {
    if (typeof input !== 'object' || input === null || !(key in input)) {
      throw new ValidationError(`client.${tool.name}: input.${key} is required`);
    }
  }
};

describe('input validation seam', () => {
  it('rejects a bad API input before hooks, approvals or the handler, catchable in agent code', async () => {
    const calls: string[] = [];
    const seen: ToolCallContext[] = [];
    const executor = make([], {
      dispatcher: validatingDispatcher(calls),
      hooks: {
        beforeToolCall: (context) => {
          seen.push(context);
          return { action: 'approve', message: 'really?' };
        },
      },
    });
    const result = await executor.execute(
      `try { await api.crm.remove({ id: 42 }); return 'ran'; }
       catch (error) { return { isError: error instanceof Error, code: error.code, message: error.message }; }`,
      { ...CLIENT, services: ALL_SERVICES },
    );
    expect(result.status).toBe('completed');
    expect(result.result).toEqual({
      isError: true,
      code: 'VALIDATION_ERROR',
      message: 'crm.remove: input.id must be a string; got 42',
    });
    expect(seen).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('checks client tool inputs before pausing for the client; valid calls pause as before', async () => {
    const executor = make([], { validateClientToolInput: checkTool });
    const clientTools = [{ name: 'pick', inputSchema: { type: 'object', required: ['n'] } }];
    const rejected = await executor.execute(
      `try { await api.client.pick({}); } catch (error) { return [error.code, error.message]; }`,
      { ...CLIENT, services: ALL_SERVICES, clientTools },
    );
    expect(rejected.status).toBe('completed');
    expect(rejected.result).toEqual(['VALIDATION_ERROR', 'client.pick: input.n is required']);

    const paused = await executor.execute('return await api.client.pick({ n: 1 });', {
      ...CLIENT,
      services: ALL_SERVICES,
      clientTools,
    });
    expect(paused.needsCallback).toEqual({
      type: 'tool',
      operation: 'call',
      payload: { toolName: 'pick', input: { n: 1 } },
    });
    const done = await executor.resume(paused.executionId, [{ id: '', result: 'picked' }], CLIENT);
    expect(done.result).toBe('picked');
  });
});
