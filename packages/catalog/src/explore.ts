import { type ExploreResponse, NotFoundError } from '@agent-tool-protocol/protocol';
import type { CompiledGroup, FunctionEntry } from './compiled-group.js';
import { functionDefinition } from './group-declarations.js';

// The explore tree: `/` → group types → groups → namespaces (dotted name segments) → functions.
// Paths use the aliases agents write in code; a group can also be named by its registered name.

interface ExploreNode {
  children: Map<string, ExploreNode>;
  /** Registered names that lead to a child, when they differ from its alias. */
  aliases: Map<string, string>;
  function?: { compiled: CompiledGroup; entry: FunctionEntry };
}

function directory(): ExploreNode {
  return { children: new Map(), aliases: new Map() };
}

function childOf(node: ExploreNode, name: string): ExploreNode {
  let child = node.children.get(name);
  if (!child) {
    child = directory();
    node.children.set(name, child);
  }
  return child;
}

/** `//openapi/github/` → `['openapi', 'github']`. */
export function explorePathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

export class ExploreTree {
  private readonly root = directory();

  constructor(groups: readonly CompiledGroup[]) {
    for (const compiled of groups) {
      const typeNode = childOf(this.root, compiled.group.type);
      const groupNode = childOf(typeNode, compiled.alias);
      if (compiled.group.name !== compiled.alias) typeNode.aliases.set(compiled.group.name, compiled.alias);
      for (const entry of compiled.entries) {
        let node = groupNode;
        entry.segments.forEach((segment, index) => {
          const isLast = index === entry.segments.length - 1;
          node = childOf(node, segment);
          if (isLast) node.function = { compiled, entry };
        });
      }
    }
  }

  explore(path: string): ExploreResponse {
    const segments = explorePathSegments(path);
    let node = this.root;
    const walked: string[] = [];
    for (const segment of segments) {
      const name = node.children.has(segment) ? segment : node.aliases.get(segment);
      const child = name === undefined ? undefined : node.children.get(name);
      if (!child || name === undefined) throw this.notFound(path, walked, node, segment);
      node = child;
      walked.push(name);
    }
    const canonical = `/${walked.join('/')}`;
    // A name that is both a function and a namespace is shown as a directory; its function is an item.
    if (node.function && node.children.size === 0) return this.functionResponse(canonical, node.function);
    const items = [...node.children.entries()]
      .map(([name, child]) => ({
        name,
        type: child.children.size === 0 && child.function ? ('function' as const) : ('directory' as const),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { type: 'directory', path: canonical, items };
  }

  private functionResponse(
    path: string,
    target: { compiled: CompiledGroup; entry: FunctionEntry },
  ): ExploreResponse {
    const { compiled, entry } = target;
    const response: ExploreResponse = {
      type: 'function',
      path,
      name: entry.name,
      description: entry.fn.description ?? '',
      definition: functionDefinition(compiled, entry),
      group: compiled.group.name,
    };
    if (entry.fn.inputSchema !== undefined) response.inputSchema = entry.fn.inputSchema;
    const outputSchema = entry.fn.outputSchema ?? compiled.schemaOf(entry, 'output');
    if (outputSchema !== undefined) response.outputSchema = outputSchema;
    return response;
  }

  private notFound(path: string, walked: string[], parent: ExploreNode, missing: string): NotFoundError {
    const parentPath = `/${walked.join('/')}`;
    const available = [...parent.children.keys()].sort().slice(0, 20);
    const list = available.length > 0 ? `; it has: ${available.join(', ')}` : '';
    return new NotFoundError(
      `Nothing at explore path "${path}": "${parentPath}" has no item "${missing}"${list}.`,
      undefined,
      {
        path,
        parent: parentPath,
        available,
      },
    );
  }
}
