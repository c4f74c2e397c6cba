import { createSecretRedactor, REDACTED, secretForms } from '@agent-tool-protocol/protocol';

const KEY = 'sk_live_51H8xQ2eZvKYlo2C0aBcDeFgH';

describe('createSecretRedactor', () => {
  const redactor = createSecretRedactor([KEY, 'p@ss w/rd+"\\', undefined, '', 'abc']);

  test('replaces the raw, JSON-escaped and URL-encoded forms', () => {
    expect(redactor.redact(`key=${KEY}; again ${KEY}`)).toBe(`key=${REDACTED}; again ${REDACTED}`);
    const json = JSON.stringify({ password: 'p@ss w/rd+"\\' });
    expect(redactor.redact(json)).toBe(`{"password":"${REDACTED}"}`);
    const component = encodeURIComponent('p@ss w/rd+"\\');
    expect(redactor.redact(`?p=${component}`)).toBe(`?p=${REDACTED}`);
    expect(redactor.redact(`?p=${component.toLowerCase()}`)).toBe(`?p=${REDACTED}`);
    const form = new URLSearchParams({ p: 'p@ss w/rd+"\\' }).toString();
    expect(redactor.redact(form)).toBe(`p=${REDACTED}`);
  });

  test('replaces base64 forms, also inside a longer base64 text at any alignment', () => {
    const plain = Buffer.from(KEY).toString('base64');
    expect(redactor.redact(`echo ${plain}`)).toBe(`echo ${REDACTED}`);
    expect(redactor.redact(Buffer.from(KEY).toString('base64url'))).toBe(REDACTED);
    for (const prefix of ['', 'a', 'ab', 'abc', 'user:']) {
      for (const suffix of ['', ':', 'xy', 'tail bytes']) {
        const encoded = Buffer.from(`${prefix}${KEY}${suffix}`).toString('base64');
        const redacted = redactor.redact(`Basic ${encoded}`);
        expect(redacted).toContain(REDACTED);
        // What is left encodes the prefix and suffix plus at most a few bits of the key at each edge.
        const left = redacted.replace('Basic ', '').split(REDACTED).join('').replace(/=+$/, '');
        const around = Math.ceil(((prefix.length + suffix.length) * 8) / 6);
        expect(left.length).toBeLessThanOrEqual(around + 4);
      }
    }
  });

  test('ignores empty and short values, and text without secrets', () => {
    expect(redactor.redact('abc abcd')).toBe('abc abcd');
    expect(createSecretRedactor([]).empty).toBe(true);
    expect(createSecretRedactor(['abc', undefined]).redact('abc')).toBe('abc');
    expect(redactor.contains('nothing here')).toBe(false);
    expect(redactor.contains(`x${KEY}x`)).toBe(true);
    expect(redactor.contains(`x${KEY}x`)).toBe(true); // the global pattern keeps no state between calls
  });

  test('redactValue rewrites strings and keys of parsed JSON, whatever escapes the text used', () => {
    const escaped = `{"k":"\\u0073k_live_51H8xQ2eZvKYlo2C0aBcDeFgH","list":[1,"${KEY}",{"${KEY}":true}],"n":null}`;
    expect(redactor.redact(escaped)).toContain('\\u0073k_live');
    const value = redactor.redactValue(JSON.parse(escaped));
    expect(value).toEqual({ k: REDACTED, list: [1, REDACTED, { [REDACTED]: true }], n: null });
    expect(redactor.redactValue(`a ${KEY}`)).toBe(`a ${REDACTED}`);
    expect(redactor.redactValue(42)).toBe(42);
  });

  test('redactValue keeps __proto__ keys as data and survives deep nesting', () => {
    const polluted = redactor.redactValue(JSON.parse('{"__proto__":{"polluted":true}}')) as object;
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(Object.keys(polluted)).toEqual(['__proto__']);
    const deep = JSON.parse(`${'['.repeat(20_000)}"${KEY}"${']'.repeat(20_000)}`);
    let inner: unknown = redactor.redactValue(deep);
    for (let level = 0; level < 20_000; level++) inner = (inner as unknown[])[0];
    expect(inner).toBe(REDACTED);
  });

  test('secretForms lists each distinct spelling once', () => {
    const forms = secretForms(KEY);
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms).toContain(KEY);
    expect(forms).toContain(Buffer.from(KEY).toString('base64'));
    expect(secretForms('abc')).toEqual([]);
  });
});

describe('redactError', () => {
  test('redacts message, stack, details and causes in place, keeping the error itself', () => {
    const redactor = createSecretRedactor([KEY]);
    const cause = new Error(`socket said ${KEY}`);
    const error = Object.assign(new Error(`failed with ${KEY}`, { cause }), {
      details: { body: `{"key":"${KEY}"}`, nested: [KEY] },
    });
    expect(redactor.redactError(error)).toBe(error);
    expect(error.message).toBe(`failed with ${REDACTED}`);
    expect(error.stack).not.toContain(KEY);
    expect(error.details).toEqual({ body: `{"key":"${REDACTED}"}`, nested: [REDACTED] });
    expect(cause.message).toBe(`socket said ${REDACTED}`);
    expect(redactor.redactError('not an error')).toBe('not an error');
  });
});
