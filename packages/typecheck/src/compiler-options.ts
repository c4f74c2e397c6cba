import ts from 'typescript';

/**
 * Compiler options for agent code. Agents write loose, script-like TypeScript (or plain JavaScript),
 * so the checker is tuned to report what is almost always a real mistake against the API (unknown
 * functions and fields, wrong argument shapes, misspelled names) and to stay quiet about style:
 *
 * - `noImplicitAny: false`: `let rows = []`, untyped callback parameters and `JSON.parse` results
 *   are fine in a script; the sandbox runs them.
 * - `strictNullChecks: false`: optional fields of API results are read without guards all the time;
 *   "possibly undefined" would flag most snippets while the runtime just works (or throws clearly).
 * - `useUnknownInCatchVariables: false`: `catch (e) { e.message }` is idiomatic.
 * - `allowUnreachableCode` / `allowUnusedLabels`: never errors.
 * - `lib: es2024` and no DOM or Node types: exactly the language built-ins an isolate has; the
 *   sandbox's own globals (`api`, `atp`, `console`, timers) come from the environment declarations.
 */
export const AGENT_COMPILER_OPTIONS: Readonly<ts.CompilerOptions> = Object.freeze({
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.None,
  lib: ['lib.es2024.d.ts'],
  types: [],
  strict: false,
  noImplicitAny: false,
  strictNullChecks: false,
  useUnknownInCatchVariables: false,
  noImplicitThis: false,
  allowUnreachableCode: true,
  allowUnusedLabels: true,
  noUnusedLocals: false,
  noUnusedParameters: false,
  noEmit: true,
  skipLibCheck: true,
  skipDefaultLibCheck: true,
  allowJs: false,
  noResolve: true,
  isolatedModules: false,
});

/**
 * Diagnostics never reported, whatever the options say: values of type `unknown` (results of
 * functions without an output schema, `atp.cache.get`) are used freely by loose agent code.
 */
export const IGNORED_DIAGNOSTIC_CODES: ReadonlySet<number> = new Set([
  2571, // Object is of type 'unknown'.
  18046, // 'x' is of type 'unknown'.
  2683, // 'this' implicitly has type 'any'.
  1375, // 'await' expressions are only allowed at the top level of a file when that file is a module…
  1378, // Top-level 'await' expressions are only allowed when…
]);
