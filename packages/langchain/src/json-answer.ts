/** Reads a JSON value out of a model's text answer (bare, in a code fence, or inside prose). */
export function parseJSONAnswer(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed)?.[1]?.trim();
  const candidates = [fenced, trimmed, outermost(trimmed, '{', '}'), outermost(trimmed, '[', ']')];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next way of reading it
    }
  }
  throw new Error(
    `The model's answer is not JSON: "${trimmed.slice(0, 120)}${trimmed.length > 120 ? '…' : ''}"`,
  );
}

function outermost(text: string, open: string, close: string): string | undefined {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}

/** The category a model meant: an exact (case-insensitive) answer, else the one category its answer names. */
export function matchCategory(answer: string, categories: string[]): string {
  const cleaned = answer
    .trim()
    .replace(/^["'`*\s]+|["'`*.\s]+$/g, '')
    .toLowerCase();
  const exact = categories.find((category) => category.toLowerCase() === cleaned);
  if (exact !== undefined) return exact;
  const named = categories.filter((category) => cleaned.includes(category.toLowerCase()));
  if (named.length > 0) return named.sort((a, b) => b.length - a.length)[0]!;
  throw new Error(
    `The model answered "${answer.trim().slice(0, 80)}", which is none of: ${categories.join(', ')}.`,
  );
}
