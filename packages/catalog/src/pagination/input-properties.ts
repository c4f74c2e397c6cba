import type { JSONSchema } from '@agent-tool-protocol/protocol';

/**
 * The properties an input schema declares, including those of its `anyOf`/`oneOf` alternatives (an
 * OpenAPI function that takes its body flat or nested declares both shapes); the first declaration of a
 * name wins.
 */
export function inputPropertiesOf(schema: JSONSchema | undefined): Record<string, JSONSchema> {
  const merged: Record<string, JSONSchema> = {};
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const { properties, anyOf, oneOf } = node as Record<string, unknown>;
    if (typeof properties === 'object' && properties !== null) {
      for (const [name, property] of Object.entries(properties as Record<string, JSONSchema>)) {
        if (!(name in merged)) merged[name] = property;
      }
    }
    for (const alternatives of [anyOf, oneOf]) {
      if (Array.isArray(alternatives)) for (const alternative of alternatives) visit(alternative);
    }
  };
  visit(schema);
  return merged;
}
