type Child = Node | string | null | undefined | false;

/** Creates an element; text goes in as text nodes only (nothing is parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element as T;
}

export function json(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Shows an error in the page's notice bar. */
export function notify(message: string, kind: 'error' | 'info' = 'error'): void {
  const bar = byId('notice');
  bar.textContent = message;
  bar.className = kind;
  bar.hidden = false;
}

export function clearNotice(): void {
  byId('notice').hidden = true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
