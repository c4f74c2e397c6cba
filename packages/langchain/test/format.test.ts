import type { ExecutionResult } from '@agent-tool-protocol/protocol';
import { formatExecutionResult, formatExplore, formatSearchResults } from '../src/index.js';

const stats = { duration: 5, llmCallsCount: 0, approvalCallsCount: 0, toolCallsCount: 0 };
const options = { maxResultChars: 4000, maxLogLines: 2 };

describe('compact answers for a model', () => {
  it('a paused execution names what it waits for', () => {
    const result: ExecutionResult = {
      executionId: 'exec-1',
      status: 'paused',
      stats,
      needsCallbacks: [
        { id: 'a', type: 'approval', operation: 'request', payload: {} },
        { id: 'b', type: 'llm', operation: 'call', payload: {} },
      ],
    };
    expect(formatExecutionResult(result, options)).toBe(
      'status: paused (0 API calls)\nexecution exec-1 is paused, waiting for approval.request, llm.call.\n' +
        'next: The execution is waiting for an answer the client did not give (an approval or another callback).',
    );
  });

  it('statuses without their own advice still report the error; only the last log lines are kept', () => {
    const result: ExecutionResult = {
      executionId: 'exec-2',
      status: 'memory_exceeded',
      stats: { ...stats, llmCallsCount: 2 },
      error: {
        message: 'Isolate was disposed during execution',
        code: 'MEMORY_EXCEEDED',
        suggestion: 'Load less data.',
      },
      logs: [1, 2, 3].map((n) => ({ level: 'info' as const, message: `step ${n}`, timestamp: n })),
    };
    expect(formatExecutionResult(result, options).split('\n')).toEqual([
      'status: memory_exceeded (0 API calls, 2 LLM calls)',
      'error (MEMORY_EXCEEDED): Isolate was disposed during execution',
      'suggestion: Load less data.',
      'next: The code used too much memory: fetch less data and keep only the fields you need.',
      'logs:',
      '  (1 earlier lines left out)',
      '  [info] step 2',
      '  [info] step 3',
    ]);
  });

  it('search results and explore answers', () => {
    expect(formatSearchResults('nothing', [], 1000)).toContain('No API function matches "nothing"');
    const hits = formatSearchResults(
      'list',
      [
        {
          apiGroup: 'g',
          functionName: 'f',
          description: 'Lists\n things',
          signature: 'api.g.f(input: {}): Promise<string[]>',
          relevanceScore: 1,
        },
      ],
      1000,
    );
    expect(hits.split('\n')[1]).toBe('- api.g.f(input: {}): Promise<string[]> — Lists things');
    expect(
      formatExplore({ type: 'directory', path: '/custom', items: [{ name: 'g', type: 'directory' }] }, 1000),
    ).toBe('/custom holds:\n- /custom/g/');
  });
});
