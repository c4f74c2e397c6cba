import { Catalog, isIdentifierName, toIdentifier } from '@agent-tool-protocol/catalog';
import type { APIGroup, FunctionDef } from '@agent-tool-protocol/protocol';

const fn = (name: string): FunctionDef => ({ name, handler: async () => name });

describe('toIdentifier', () => {
  it.each([
    ['listRepos', 'listRepos'],
    ['read-file', 'read_file'],
    ['read--file', 'read_file'],
    ['get user/info', 'get_user_info'],
    ['2fa', '_2fa'],
    ['', '_'],
    ['ünïcode', '_n_code'],
    ['$special', '$special'],
    ['delete', 'delete'],
    ['class', 'class'],
    ['__proto__', '__proto___'],
    ['constructor', 'constructor_'],
    ['prototype', 'prototype_'],
    ['then', 'then_'],
  ])('%j → %j', (name, alias) => {
    expect(toIdentifier(name)).toBe(alias);
    expect(isIdentifierName(alias)).toBe(true);
    // Idempotent: an alias is its own alias.
    expect(toIdentifier(alias)).toBe(alias);
  });
});

describe('function and group aliases in a catalog', () => {
  function catalogWith(group: APIGroup): Catalog {
    const catalog = new Catalog();
    catalog.addGroup(group);
    return catalog;
  }

  it('resolves the alias path and the registered path to the same function, keeping the original name', () => {
    const catalog = catalogWith({ name: 'file-system', type: 'mcp', functions: [fn('read-file')] });
    const byAlias = catalog.resolve('file_system.read_file');
    expect(byAlias).toMatchObject({ path: 'file_system.read_file', group: 'file-system', name: 'read_file' });
    expect(byAlias?.metadata?.originalName).toBe('read-file');
    expect(catalog.resolve('file-system.read-file')).toBe(byAlias);
  });

  it('keeps a name that needs no alias and suffixes the colliding alias, whatever the order', () => {
    for (const names of [
      ['read-file', 'read_file', 'read file'],
      ['read_file', 'read file', 'read-file'],
    ]) {
      const catalog = catalogWith({ name: 'fs', type: 'mcp', functions: names.map(fn) });
      expect(catalog.resolve('fs.read_file')?.metadata?.originalName).toBe('read_file');
      const suffixed = ['fs.read_file_2', 'fs.read_file_3'].map(
        (path) => catalog.resolve(path)?.metadata?.originalName,
      );
      // The non-identifier names take _2 and _3 in declaration order.
      expect(suffixed).toEqual(names.filter((name) => name !== 'read_file'));
    }
  });

  it('skips suffixes that are already taken by real names', () => {
    const catalog = catalogWith({ name: 'fs', type: 'mcp', functions: [fn('a-b'), fn('a_b'), fn('a_b_2')] });
    expect(catalog.resolve('fs.a_b_2')?.metadata?.originalName).toBe('a_b_2');
    expect(catalog.resolve('fs.a_b_3')?.metadata?.originalName).toBe('a-b');
  });

  it('aliases each dotted segment separately', () => {
    const catalog = catalogWith({
      name: 'gh',
      type: 'openapi',
      functions: [fn('pull-requests.list-all'), fn('2fa.enable')],
    });
    expect(catalog.resolve('gh.pull_requests.list_all')?.metadata?.originalName).toBe(
      'pull-requests.list-all',
    );
    expect(catalog.resolve('gh._2fa.enable')).toBeDefined();
  });

  it('rejects a group whose alias is already used by another group', () => {
    const catalog = catalogWith({ name: 'my_api', type: 'custom', functions: [fn('a')] });
    expect(() => catalog.addGroup({ name: 'my-api', type: 'custom', functions: [fn('b')] })).toThrow(
      'group name "my-api" is written "my_api" in code, which group "my_api" already uses',
    );
  });
});
