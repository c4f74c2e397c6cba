import { generateRuntimeDefinitions, RUNTIME_APIS } from '@agent-tool-protocol/catalog';

const declared = (text: string) => [...text.matchAll(/^ {2}([a-z]+): \{/gm)].map((match) => match[1]);

describe('generateRuntimeDefinitions', () => {
  const everything = { hasLLM: true, hasApproval: true, hasEmbedding: true, hasTools: true };

  it('declares the server-side helpers for every client', () => {
    expect(declared(generateRuntimeDefinitions({}))).toEqual(['log', 'progress', 'cache']);
  });

  it.each([
    [{ hasLLM: true }, ['log', 'progress', 'cache', 'llm']],
    [{ hasApproval: true }, ['log', 'progress', 'cache', 'approval']],
    [{ hasEmbedding: true }, ['log', 'progress', 'cache', 'embedding']],
    [
      { hasLLM: false, hasApproval: true, hasEmbedding: true },
      ['log', 'progress', 'cache', 'approval', 'embedding'],
    ],
    [everything, RUNTIME_APIS],
  ])('adds the client callbacks a client has: %j', (services, expected) => {
    expect(declared(generateRuntimeDefinitions(services))).toEqual(expected);
  });

  it('narrows to the requested apis, never beyond what the client has', () => {
    expect(declared(generateRuntimeDefinitions(everything, ['llm', 'cache']))).toEqual(['cache', 'llm']);
    expect(declared(generateRuntimeDefinitions({}, ['llm', 'cache']))).toEqual(['cache']);
    expect(declared(generateRuntimeDefinitions(everything, [' LLM ', 'unknown']))).toEqual(['llm']);
    expect(generateRuntimeDefinitions(everything, [])).toBe('declare const atp: {};\n');
  });

  it('declares the documented signatures', () => {
    const text = generateRuntimeDefinitions(everything);
    for (const signature of [
      'debug(message: string, data?: unknown): void;',
      'report(message: string, fraction?: number, data?: unknown): void;',
      'report(progress: { current: number; total: number; message?: string }): void;',
      'get<T = unknown>(key: string): Promise<T | undefined>;',
      'set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;',
      'delete(key: string): Promise<boolean>;',
      'extract<T = unknown>(prompt: string, schema: Record<string, unknown>',
      'classify(text: string, categories: string[]',
      'request(message: string, context?: unknown): Promise<{ approved: boolean; reason?: string }>;',
      'embed(text: string, metadata?: Record<string, unknown>): Promise<string>;',
      'vector(text: string): Promise<number[]>;',
    ]) {
      expect(text).toContain(signature);
    }
    expect(text.startsWith('declare const atp: {\n')).toBe(true);
  });
});
