import { jsonSchemaToTypeScript } from '@agent-tool-protocol/catalog';
import type { ClientToolDefinition, JSONSchema } from '@agent-tool-protocol/protocol';

/**
 * Members of `api` for a client's own tools (`api.<namespace ?? 'client'>.<name>(input)`), added to
 * the catalog's declarations when type-checking that client's code. Results are `any`: the client
 * answers them and rarely declares an output schema.
 */
export function clientToolMembers(tools: readonly ClientToolDefinition[]): string {
  const byNamespace = new Map<string, string[]>();
  for (const tool of tools) {
    const namespace = tool.namespace ?? 'client';
    const input = tool.inputSchema
      ? jsonSchemaToTypeScript(tool.inputSchema as JSONSchema, { singleLine: true, resolveRef: () => 'any' })
      : 'any';
    const optional = tool.inputSchema?.required === undefined ? '?' : '';
    const members = byNamespace.get(namespace) ?? [];
    members.push(`    ${JSON.stringify(tool.name)}(input${optional}: ${input}): Promise<any>;`);
    byNamespace.set(namespace, members);
  }
  return [...byNamespace]
    .map(([namespace, members]) => `  ${JSON.stringify(namespace)}: {\n${members.join('\n')}\n  };`)
    .join('\n');
}
