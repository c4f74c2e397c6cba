/** A member of a declared object (`api.*` or `atp.*`): a namespace with children, or a function. */
export interface DeclaredMember {
  name: string;
  kind: 'namespace' | 'function' | 'property';
  /** The declaration line (a function's signature) without the trailing `;`. */
  signature?: string;
  /** The JSDoc text before it, when there is one. */
  doc?: string;
  children: Map<string, DeclaredMember>;
}

const OPEN = /^(?:readonly\s+)?(['"]?)([\w$-]+)\1\??\s*:\s*\{\s*(?:\/\/\s*(.*))?$/;
const FUNCTION = /^(['"]?)([\w$-]+)\1\??\s*(<[^(]*>)?\(/;
const PROPERTY = /^(?:readonly\s+)?(['"]?)([\w$-]+)\1\??\s*:\s*([^;]+);?\s*(?:\/\/\s*(.*))?$/;

function member(name: string, kind: DeclaredMember['kind']): DeclaredMember {
  return { name, kind, children: new Map() };
}

/**
 * Reads `declare const <name>: { … };` blocks of generated declarations (GET /api/definitions,
 * GET /api/runtime) into a tree, for completion. Lines the generator writes one member per line; other
 * text (type aliases, interfaces) is skipped.
 */
export function parseDeclarations(typescript: string): Map<string, DeclaredMember> {
  const roots = new Map<string, DeclaredMember>();
  const stack: DeclaredMember[] = [];
  let doc: string[] | undefined;
  let pendingDoc: string | undefined;
  for (const raw of typescript.split('\n')) {
    const line = raw.trim();
    const declared = /^declare\s+const\s+([\w$]+)\s*:\s*\{\s*$/.exec(line);
    if (declared?.[1]) {
      const root = member(declared[1], 'namespace');
      roots.set(root.name, root);
      stack.length = 0;
      stack.push(root);
      pendingDoc = undefined;
      continue;
    }
    const parent = stack.at(-1);
    if (!parent) continue;
    if (doc) {
      if (line.endsWith('*/')) {
        doc.push(line.replace(/\*\/$/, '').replace(/^\*\s?/, ''));
        pendingDoc = doc.join('\n').trim();
        doc = undefined;
      } else doc.push(line.replace(/^\*\s?/, ''));
      continue;
    }
    if (line.startsWith('/**')) {
      const single = /^\/\*\*(.*)\*\/$/.exec(line);
      if (single) pendingDoc = single[1]?.trim();
      else doc = [line.slice(3)];
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (/^\}\s*;?$/.test(line)) {
      stack.pop();
      pendingDoc = undefined;
      continue;
    }
    const open = OPEN.exec(line);
    const fn = open ? null : FUNCTION.exec(line);
    const property = open || fn ? null : PROPERTY.exec(line);
    const name = open?.[2] ?? fn?.[2] ?? property?.[2];
    if (!name) continue;
    // An overload: the first signature (and its doc) stays the one shown.
    if (fn && parent.children.get(name)?.kind === 'function') {
      pendingDoc = undefined;
      continue;
    }
    const entry = member(name, open ? 'namespace' : fn ? 'function' : 'property');
    if (fn) entry.signature = line.replace(/;\s*$/, '');
    if (property) entry.signature = `${name}: ${property[3]?.trim()}`;
    const comment = open?.[3] ?? property?.[4];
    const docText = pendingDoc ?? comment?.trim();
    if (docText) entry.doc = docText;
    pendingDoc = undefined;
    parent.children.set(name, entry);
    if (open) stack.push(entry);
  }
  return roots;
}

/** The member at a dotted path (`api.desk.tickets`), or undefined. */
export function memberAt(
  roots: Map<string, DeclaredMember>,
  path: readonly string[],
): DeclaredMember | undefined {
  const [first, ...rest] = path;
  let node = first === undefined ? undefined : roots.get(first);
  for (const segment of rest) node = node?.children.get(segment);
  return node;
}
