import type { JSONSchema } from '@agent-tool-protocol/protocol';

// Reading the loader's converted schemas (refs as `#/$defs/Name` into the group's definitions) for paging
// detection: follow refs, see through nullable unions and `allOf`, find properties by path.

const MAX_HOPS = 20;

function isSchema(value: unknown): value is JSONSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class SchemaView {
  constructor(private readonly definitions: Record<string, JSONSchema>) {}

  /** The schema behind refs and a nullable union (`T | null` → T); undefined when unknown. */
  settle(schema: unknown): JSONSchema | undefined {
    let current = schema;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (!isSchema(current)) return undefined;
      if (typeof current.$ref === 'string') {
        const match = /^#\/\$defs\/(.+)$/.exec(current.$ref);
        current = match ? this.definitions[decodeURIComponent(match[1]!)] : undefined;
        continue;
      }
      const union = (current.anyOf ?? current.oneOf) as unknown;
      if (Array.isArray(union)) {
        const branches = union.filter((branch) => !(isSchema(branch) && branch.type === 'null'));
        if (branches.length !== 1) return current;
        current = branches[0];
        continue;
      }
      return current;
    }
    return undefined;
  }

  types(schema: JSONSchema | undefined): string[] {
    const type = schema?.type;
    if (typeof type === 'string') return [type];
    return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
  }

  isArray(schema: JSONSchema | undefined): boolean {
    return schema !== undefined && (this.types(schema).includes('array') || isSchema(schema.items));
  }

  /** Own properties and those of `allOf` parts, settled. */
  properties(schema: JSONSchema | undefined): Map<string, JSONSchema> {
    const found = new Map<string, JSONSchema>();
    const visit = (part: unknown, depth: number) => {
      const settled = this.settle(part);
      if (settled === undefined || depth > MAX_HOPS) return;
      if (isSchema(settled.properties)) {
        for (const [name, value] of Object.entries(settled.properties)) {
          const child = this.settle(value);
          if (child !== undefined && !found.has(name)) found.set(name, child);
        }
      }
      if (Array.isArray(settled.allOf)) for (const inner of settled.allOf) visit(inner, depth + 1);
    };
    visit(schema, 0);
    return found;
  }

  /** The settled schema at a dotted path of properties, or undefined. */
  at(schema: JSONSchema | undefined, path: string): JSONSchema | undefined {
    let current = this.settle(schema);
    for (const step of path.split('.')) {
      if (current === undefined) return undefined;
      current = this.properties(current).get(step);
    }
    return current;
  }
}
