// The API group both servers serve in the side-by-side benchmark. Plain JavaScript so that the original
// ATP 0.19 server (Node 20, no type stripping) and ours load the very same definitions.

/** @returns {{ name: string, type: 'custom', description: string, functions: Array<Record<string, unknown>> }} */
export function benchGroup() {
  return {
    name: 'bench',
    type: 'custom',
    description: 'Functions for the side-by-side benchmark',
    functions: [
      {
        name: 'echo',
        description: 'Returns its input',
        inputSchema: { type: 'object', properties: { n: { type: 'number' } } },
        handler: async (input) => input,
      },
      {
        name: 'sleep',
        description: 'Waits `ms` milliseconds, then answers {slept: ms}',
        inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] },
        handler: (input) =>
          new Promise((resolve) => setTimeout(() => resolve({ slept: input.ms }), input.ms)),
      },
    ],
  };
}
