// The declaration files agent code is checked against: the catalog's `api.*` declarations (one file
// per API group, parsed once per content and shared by every client) and a small per-client file
// with `api` itself, `atp.*`, client tools and the sandbox globals.

/** Prefix of the type each api declarations file's `declare const api: {…}` becomes. */
export const API_TYPE_NAME = 'AtpApi__';

const API_DECLARATION = /^declare const api: /gm;

/** A valid, stable type name for the api declarations part called `name`. */
export function apiTypeName(name: string): string {
  return `${API_TYPE_NAME}${name.replace(/[^A-Za-z0-9_$]/g, '_')}`;
}

/**
 * The api declarations as checked: `declare const api: {…}` turned into the type `typeName`, and
 * results of functions without an output schema (`Promise<unknown>`) read as `any`, as loose agent
 * code does.
 */
export function apiDeclarationFile(
  apiDeclarations: string,
  typeName: string,
): { text: string; declaresApiType: boolean } {
  let text = apiDeclarations.replace(/\): Promise<unknown>;$/gm, '): Promise<any>;');
  const last = [...text.matchAll(API_DECLARATION)].at(-1);
  if (last?.index === undefined) return { text, declaresApiType: false };
  text = `${text.slice(0, last.index)}type ${typeName} = ${text.slice(last.index + last[0].length)}`;
  return { text, declaresApiType: true };
}

const SANDBOX_GLOBALS = `declare const console: {
  log(...data: any[]): void;
  info(...data: any[]): void;
  debug(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
};
declare function setTimeout(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function clearTimeout(id?: number): void;
declare function setInterval(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(callback: () => void): void;
`;

/** The per-client file: `api` (the parts' types plus client tools), `atp`, and the sandbox globals. */
export function environmentFile(options: {
  apiTypeNames: readonly string[];
  runtimeDeclarations: string;
  extraApiMembers?: string;
}): string {
  const extra = options.extraApiMembers?.trim() ? `{\n${options.extraApiMembers}\n}` : undefined;
  const members = [...options.apiTypeNames, ...(extra ? [extra] : [])];
  // No part declared an `api` type: the declarations declare `api` themselves (nothing to add).
  const api = options.apiTypeNames.length === 0 ? '' : `declare const api: ${members.join(' & ')};\n`;
  return `${api}${options.runtimeDeclarations}\n${SANDBOX_GLOBALS}`;
}
