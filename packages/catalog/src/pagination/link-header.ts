import LinkHeader from 'http-link-header';

/** The target of the first `rel="next"` link in a `Link` header (RFC 8288), resolved against `base`. */
export function nextLink(header: string, base?: string): URL | undefined {
  let parsed: LinkHeader;
  try {
    parsed = LinkHeader.parse(header);
  } catch {
    return undefined;
  }
  const target = parsed.rel('next')[0]?.uri;
  if (target === undefined) return undefined;
  try {
    return new URL(target, base ?? 'http://base.invalid/');
  } catch {
    return undefined;
  }
}
