import { editDistance, isIdentifierName, toIdentifier } from '@agent-tool-protocol/protocol';

describe('toIdentifier', () => {
  it('turns every run of invalid characters into one underscore and guards a leading digit', () => {
    expect(toIdentifier('read-file')).toBe('read_file');
    expect(toIdentifier('get user/info')).toBe('get_user_info');
    expect(toIdentifier('a--b')).toBe('a_b');
    expect(toIdentifier('2fa')).toBe('_2fa');
    expect(toIdentifier('')).toBe('_');
    expect(toIdentifier('***')).toBe('_');
  });

  it('guards names that break the api proxy and keeps reserved words', () => {
    for (const name of ['__proto__', 'constructor', 'prototype', 'then'])
      expect(toIdentifier(name)).toBe(`${name}_`);
    expect(toIdentifier('delete')).toBe('delete');
  });

  it('is idempotent on its output', () => {
    for (const name of ['read-file', '2fa', 'then', '__proto__', 'a.b.c', 'ünïcode'])
      expect(toIdentifier(toIdentifier(name))).toBe(toIdentifier(name));
  });

  it('tells identifier names apart', () => {
    expect(isIdentifierName('read_file')).toBe(true);
    expect(isIdentifierName('$x1')).toBe(true);
    expect(isIdentifierName('read-file')).toBe(false);
    expect(isIdentifierName('1a')).toBe(false);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('Case', 'case')).toBe(1);
  });

  it('stops early past the limit, answering limit + 1', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 3)).toBe(4);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
  });
});
