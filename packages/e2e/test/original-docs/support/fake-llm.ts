import type { ClientLLMProvider } from '@agent-tool-protocol/client';
import type { JSONSchema } from '@agent-tool-protocol/protocol';

/** Every prompt the fake LLM answered, in order. */
export interface FakeLLM extends ClientLLMProvider {
  readonly prompts: string[];
}

/**
 * Stands in for a real model (the suite has no internet): `call` echoes, `classify` picks the first
 * category, `extract` fills the schema with values derived from the prompt. The blog's schemas use the
 * shorthand `{ field: 'string' | 'number' | 'boolean' | 'string[]' }`; JSON Schema objects work too.
 */
export function fakeLLM(): FakeLLM {
  const prompts: string[] = [];
  return {
    prompts,
    async call(prompt) {
      prompts.push(prompt);
      return `echo: ${prompt}`;
    },
    async classify(text, categories) {
      prompts.push(text);
      return categories[0] ?? '';
    },
    async extract(prompt, schema) {
      prompts.push(prompt);
      return fill(schema, prompt);
    },
  };
}

function fill(schema: JSONSchema, prompt: string): Record<string, unknown> {
  const properties = (schema.properties as Record<string, JSONSchema> | undefined) ?? schema;
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(properties)) {
    const type = typeof spec === 'string' ? spec : (spec as { type?: string }).type;
    out[key] = fakeValue(type, key, prompt);
  }
  return out;
}

function fakeValue(type: unknown, key: string, prompt: string): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      return prompt.length % 5;
    case 'boolean':
      return prompt.length % 2 === 0;
    case 'string[]':
    case 'array':
      return prompt.includes('concern') ? [`${key} of ${prompt.slice(0, 20)}`] : [];
    default:
      return `${key}: ${prompt.slice(0, 40)}`;
  }
}
