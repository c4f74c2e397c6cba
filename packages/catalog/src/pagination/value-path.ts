// Dotted paths into a function's result, as `metadata.pagination` writes them: `data`,
// `response_metadata.next_cursor`, `pageInfo.endCursor`; a `[]` step maps a list (`edges[].node`) and
// '' is the value itself.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when a step is missing (or crosses something that is not an object). */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  const steps = path.split('.');
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const mapped = step.endsWith('[]');
    const key = mapped ? step.slice(0, -2) : step;
    if (key !== '') {
      if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
      current = current[key];
    }
    if (mapped) {
      if (!Array.isArray(current)) return undefined;
      const rest = steps.slice(index + 1).join('.');
      return rest === '' ? current : current.map((entry) => valueAt(entry, rest));
    }
  }
  return current;
}

/** The list-valued properties of an object result (for a page whose items path is not declared). */
export function listProperties(value: unknown): string[] {
  if (!isRecord(value)) return [];
  return Object.keys(value).filter((key) => Array.isArray(value[key]));
}
