import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { compileFunction } from 'node:vm';
import * as amaro from 'amaro';

type TransformSync = typeof amaro.transformSync;

/** The amaro instance type stripping uses: the module's own, until one breaks (see `reloadAmaro`). */
let current: TransformSync = amaro.transformSync;

export const transformSync: TransformSync = (source, options) => current(source, options);

/**
 * Replaces the amaro instance with a fresh one (a new WebAssembly instance and memory). swc's wasm
 * parser that overflows the stack on deeply nested code (`((((…))))`, `!!!!…`) is unwound without
 * restoring its own state: from the next overflow on, every call fails ("memory access out of
 * bounds") for the rest of the process. The new instance comes from amaro's own files, evaluated as
 * CommonJS outside any module cache (Node's, or a test runner's that ignores cache deletion).
 */
export function reloadAmaro(): void {
  const entry = createRequire(import.meta.url).resolve('amaro');
  current = (loadCommonJs(entry, new Map()) as typeof amaro).transformSync;
}

/** A CommonJS file and the relative files it requires, evaluated afresh; built-ins come from Node. */
function loadCommonJs(filename: string, loaded: Map<string, { exports: unknown }>): unknown {
  const known = loaded.get(filename);
  if (known !== undefined) return known.exports;
  const module = { exports: {} as unknown };
  loaded.set(filename, module);
  const body = compileFunction(
    readFileSync(filename, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname'],
    { filename },
  );
  const require = (specifier: string): unknown => {
    if (specifier.startsWith('.')) return loadCommonJs(resolvePath(dirname(filename), specifier), loaded);
    const builtin: unknown = process.getBuiltinModule(specifier);
    if (builtin === undefined) throw new Error(`amaro requires ${specifier}, which is not a Node built-in`);
    return builtin;
  };
  body(module.exports, require, module, filename, dirname(filename));
  return module.exports;
}
