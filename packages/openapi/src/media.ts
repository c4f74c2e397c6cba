import type { BodyKind, ResponseKind } from './model.js';

export function isJsonMediaType(type: string): boolean {
  const base = type.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json') || base === '*/*' || base === 'application/*';
}

export function isTextMediaType(type: string): boolean {
  const base = type.split(';')[0]!.trim().toLowerCase();
  return (
    base.startsWith('text/') ||
    base.endsWith('+xml') ||
    base === 'application/xml' ||
    base === 'application/javascript' ||
    base === 'application/x-www-form-urlencoded'
  );
}

export function bodyKind(type: string): BodyKind {
  const base = type.split(';')[0]!.trim().toLowerCase();
  if (base === 'application/x-www-form-urlencoded') return 'form';
  if (base.startsWith('multipart/')) return 'multipart';
  if (isJsonMediaType(base)) return 'json';
  if (isTextMediaType(base)) return 'text';
  return 'binary';
}

export function responseKind(type: string): ResponseKind {
  if (isJsonMediaType(type)) return 'json';
  if (isTextMediaType(type)) return 'text';
  return 'binary';
}

/** The media type to use from a content map: JSON first, then form, multipart, text, anything. */
export function pickMediaType(types: string[]): string | undefined {
  const rank = (type: string): number => {
    const base = type.split(';')[0]!.trim().toLowerCase();
    if (base === 'application/json') return 0;
    if (isJsonMediaType(base) && base !== '*/*') return 1;
    if (base === 'application/x-www-form-urlencoded') return 2;
    if (base.startsWith('multipart/form-data')) return 3;
    if (isTextMediaType(base)) return 4;
    return 5;
  };
  return [...types].sort((a, b) => rank(a) - rank(b))[0];
}
