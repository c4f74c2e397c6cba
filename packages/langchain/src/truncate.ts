/** Cuts `text` to `maxChars`, saying how much was left out and how to get less next time. */
export function truncate(text: string, maxChars: number, hint: string): string {
  if (text.length <= maxChars) return text;
  const note = `\n… [${text.length - maxChars} more characters cut. ${hint}]`;
  return text.slice(0, Math.max(0, maxChars - note.length)) + note;
}

/** Compact JSON for a model's context; strings are returned as they are. */
export function compactJSON(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
