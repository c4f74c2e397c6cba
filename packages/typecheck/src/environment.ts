// The declaration files agent code is checked against: the catalog's `api.*` declarations (one big
// file per catalog version, shared by every client) and a small per-client file with `atp.*`,
// client tools and the sandbox globals.

/** The catalog's `declare const api: {…}` becomes this type, so client tools can be added per client. */
export const API_TYPE_NAME = 'AtpApi__';

const API_DECLARATION = /^declare const api: /m;

/**
 * The api declarations as checked: `declare const api: {…}` turned into a named type, and results of
 * functions without an output schema (`Promise<unknown>`) read as `any`, as loose agent code does.
 */
export function apiDeclarationFile(apiDeclarations: string): { text: string; declaresApiType: boolean } {
  let text = apiDeclarations.replace(/\): Promise<unknown>;$/gm, '): Promise<any>;');
  const matches = [...text.matchAll(new RegExp(API_DECLARATION.source, 'gm'))];
  const last = matches.at(-1);
  if (last?.index === undefined) return { text, declaresApiType: false };
  text = `${text.slice(0, last.index)}type ${API_TYPE_NAME} = ${text.slice(last.index + last[0].length)}`;
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

/** The per-client file: `api` (catalog type plus client tools), `atp`, and the sandbox globals. */
export function environmentFile(options: {
  declaresApiType: boolean;
  runtimeDeclarations: string;
  extraApiMembers?: string;
}): string {
  const extra = options.extraApiMembers?.trim() ? `{\n${options.extraApiMembers}\n}` : undefined;
  // Without a recognisable catalog declaration the api file declares `api` itself (no client tools).
  const api = options.declaresApiType ? `declare const api: ${API_TYPE_NAME}${extra ? ` & ${extra}` : ''};\n` : '';
  return `${api}${options.runtimeDeclarations}\n${SANDBOX_GLOBALS}`;
}
