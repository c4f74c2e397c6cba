import { createHash } from 'node:crypto';
import { join } from 'node:path';
import ts from 'typescript';
import { AGENT_COMPILER_OPTIONS, IGNORED_DIAGNOSTIC_CODES } from './compiler-options.js';
import { type AgentDiagnostic, isEmptyObjectExpando, toAgentDiagnostic } from './diagnostics.js';
import { apiDeclarationFile, apiTypeName, environmentFile } from './environment.js';
import { libDirectoryPath, libSourceFile } from './lib-files.js';

/** One file of `api.*` declarations, e.g. one API group's. */
export interface APIDeclarations {
  /** A stable name (the group name): the file's `api` type is named after it. */
  name: string;
  /** `declare const api: {…}` and the named types it uses (catalog.getDefinitions for one group). */
  text: string;
  /** Changes whenever `text` changes (e.g. a hash of it): the parsed file is cached under it. Default: a hash of the text. */
  key?: string;
}

/** What agent code is checked against. */
export interface TypeCheckEnvironment {
  /**
   * The catalog's `api.*` declarations: one text for everything, or one part per group so that a
   * catalog change re-parses only the groups that changed.
   */
  apiDeclarations: string | readonly APIDeclarations[];
  /** With a single text: changes whenever it changes (the catalog version). Default: a hash of the text. */
  apiVersion?: string;
  /** `declare const atp: {…}` for the client's services (catalog's generateRuntimeDefinitions). */
  runtimeDeclarations?: string;
  /** Extra members of `api` for this client (client tools), e.g. `client: { notify(input?: any): Promise<any>; };`. */
  extraApiMembers?: string;
}

export interface TypeCheckResult {
  /** No diagnostics. */
  ok: boolean;
  /** At most `maxDiagnostics`, in source order. */
  diagnostics: AgentDiagnostic[];
  /** The code does not parse: `diagnostics` are syntax errors (the runtime reports these itself). */
  syntaxError: boolean;
  /** More problems were found than `diagnostics` holds. */
  truncated: boolean;
  durationMs: number;
}

export interface AgentTypeCheckerOptions {
  /** Diagnostics reported per check (default 10). */
  maxDiagnostics?: number;
  /** Parsed api declaration files kept (default 64): every group of a few catalog versions. */
  maxApiFiles?: number;
  /** Checked snippets whose results are remembered (default 256). */
  maxCachedResults?: number;
  /** Overrides of AGENT_COMPILER_OPTIONS. */
  compilerOptions?: ts.CompilerOptions;
}

const ROOT = '/atp';
const apiFileName = (typeName: string) => `${ROOT}/api/${typeName}.d.ts`;
const ENV_FILE = `${ROOT}/env.d.ts`;
const AGENT_FILE = `${ROOT}/agent.ts`;
/** Agent code is the body of an async function: top-level `await` and `return` are allowed. */
const WRAPPER_HEAD = 'async function __atpAgent__() {\n';
const WRAPPER_TAIL = '\n}\n';
const LINES_BEFORE_AGENT_CODE = 1;

interface ParsedAPI {
  source: ts.SourceFile;
  /** The type the file declares for its part of `api`; undefined when it declares `api` itself. */
  typeName: string | undefined;
}

/** A bounded map that forgets the least recently used entry. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }
}

const digest = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('base64url');
};

/**
 * Type-checks agent code against generated declarations. Warm and incremental: the lib files are
 * parsed once per process, the api declarations once per catalog version, and every check builds its
 * program from the previous one, so only the agent's own file is new.
 */
export class AgentTypeChecker {
  private readonly options: ts.CompilerOptions;
  private readonly maxDiagnostics: number;
  private readonly apis: Lru<ParsedAPI>;
  private readonly environments = new Lru<ts.SourceFile>(32);
  private readonly results: Lru<TypeCheckResult>;
  private readonly host: ts.CompilerHost;
  private readonly files = new Map<string, ts.SourceFile>();
  private previous: ts.Program | undefined;

  constructor(options: AgentTypeCheckerOptions = {}) {
    this.options = { ...AGENT_COMPILER_OPTIONS, ...options.compilerOptions };
    this.maxDiagnostics = options.maxDiagnostics ?? 10;
    this.apis = new Lru(options.maxApiFiles ?? 64);
    this.results = new Lru(options.maxCachedResults ?? 256);
    this.host = this.createHost();
  }

  /** Parses the declarations of `environment` ahead of the first check (the first check is slower). */
  warm(environment: TypeCheckEnvironment): void {
    this.check('return undefined;', environment);
  }

  check(code: string, environment: TypeCheckEnvironment): TypeCheckResult {
    const started = performance.now();
    const apis = this.parsedApis(environment);
    const envText = environmentFile({
      apiTypeNames: apis.flatMap((api) => (api.typeName ? [api.typeName] : [])),
      runtimeDeclarations: environment.runtimeDeclarations ?? '',
      ...(environment.extraApiMembers === undefined ? {} : { extraApiMembers: environment.extraApiMembers }),
    });
    const resultKey = digest(...apis.map((api) => api.key), envText, code);
    const cached = this.results.get(resultKey);
    if (cached) return { ...cached, durationMs: performance.now() - started };

    const agent = ts.createSourceFile(
      AGENT_FILE,
      WRAPPER_HEAD + code + WRAPPER_TAIL,
      this.target,
      true,
      ts.ScriptKind.TS,
    );
    this.files.clear();
    for (const api of apis) this.files.set(api.source.fileName, api.source);
    this.files.set(ENV_FILE, this.environmentSource(envText));
    this.files.set(AGENT_FILE, agent);
    const program = ts.createProgram({
      rootNames: [...this.files.keys()],
      options: this.options,
      host: this.host,
      ...(this.previous ? { oldProgram: this.previous } : {}),
    });
    this.previous = program;

    const syntactic = program.getSyntacticDiagnostics(agent);
    const syntaxError = syntactic.length > 0;
    const raw = syntaxError
      ? syntactic
      : program
          .getSemanticDiagnostics(agent)
          .filter(
            (diagnostic) =>
              diagnostic.category === ts.DiagnosticCategory.Error &&
              !IGNORED_DIAGNOSTIC_CODES.has(diagnostic.code) &&
              !isEmptyObjectExpando(diagnostic),
          );
    const diagnostics = raw
      .slice(0, this.maxDiagnostics)
      .map((diagnostic) => toAgentDiagnostic(diagnostic, agent, LINES_BEFORE_AGENT_CODE));
    const result: TypeCheckResult = {
      ok: raw.length === 0,
      diagnostics,
      syntaxError,
      truncated: raw.length > diagnostics.length,
      durationMs: performance.now() - started,
    };
    this.results.set(resultKey, result);
    return result;
  }

  private get target(): ts.ScriptTarget {
    return this.options.target ?? ts.ScriptTarget.ES2022;
  }

  private parsedApis(environment: TypeCheckEnvironment): (ParsedAPI & { key: string })[] {
    const parts: readonly APIDeclarations[] =
      typeof environment.apiDeclarations === 'string'
        ? [
            {
              name: 'catalog',
              text: environment.apiDeclarations,
              ...(environment.apiVersion === undefined ? {} : { key: environment.apiVersion }),
            },
          ]
        : environment.apiDeclarations;
    const seen = new Set<string>();
    return parts.map((part, index) => {
      let typeName = apiTypeName(part.name);
      if (seen.has(typeName)) typeName = `${typeName}_${index}`;
      seen.add(typeName);
      const key = `${typeName}\u0000${part.key ?? digest(part.text)}`;
      let parsed = this.apis.get(key);
      if (!parsed) {
        const file = apiDeclarationFile(part.text, typeName);
        parsed = {
          source: ts.createSourceFile(apiFileName(typeName), file.text, this.target, false, ts.ScriptKind.TS),
          typeName: file.declaresApiType ? typeName : undefined,
        };
        this.apis.set(key, parsed);
      }
      return { ...parsed, key };
    });
  }

  private environmentSource(text: string): ts.SourceFile {
    let source = this.environments.get(text);
    if (!source) {
      source = ts.createSourceFile(ENV_FILE, text, this.target, false, ts.ScriptKind.TS);
      this.environments.set(text, source);
    }
    return source;
  }

  private createHost(): ts.CompilerHost {
    const libDirectory = libDirectoryPath();
    const lookup = (fileName: string) => this.files.get(fileName) ?? libSourceFile(fileName, this.target);
    return {
      getSourceFile: (fileName) => lookup(fileName),
      getDefaultLibFileName: (options) => join(libDirectory, ts.getDefaultLibFileName(options)),
      getDefaultLibLocation: () => libDirectory,
      writeFile: () => undefined,
      getCurrentDirectory: () => ROOT,
      getDirectories: () => [],
      fileExists: (fileName) => lookup(fileName) !== undefined,
      readFile: (fileName) => lookup(fileName)?.text,
      getCanonicalFileName: (fileName) => fileName,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => '\n',
    };
  }
}

/** A warm type checker for agent code. Same as `new AgentTypeChecker(…)`. */
export function createAgentTypeChecker(options: AgentTypeCheckerOptions = {}): AgentTypeChecker {
  return new AgentTypeChecker(options);
}
