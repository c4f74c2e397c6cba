import ts from 'typescript';

// Runs the TypeScript compiler over in-memory files (plus the ES2023 lib) and returns its messages.

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts'],
  types: [],
  noUnusedLocals: false,
};

/**
 * `options` are merged over the defaults, e.g. `{ module: ts.ModuleKind.ESNext, moduleResolution:
 * ts.ModuleResolutionKind.Bundler, types: ['node'] }` to check a program that imports installed packages
 * (name its files with absolute paths inside the package whose node_modules should resolve them).
 */
export function typecheck(files: Record<string, string>, options: ts.CompilerOptions = {}): string[] {
  const compilerOptions = { ...OPTIONS, ...options };
  const host = ts.createCompilerHost(compilerOptions);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => Object.hasOwn(files, name) || ts.sys.fileExists(name);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) =>
    Object.hasOwn(files, name)
      ? ts.createSourceFile(name, files[name]!, languageVersion, true)
      : getSourceFile(name, languageVersion, onError, shouldCreate);
  const program = ts.createProgram(Object.keys(files), compilerOptions, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}:${line + 1}:${character + 1} ${message}`;
  });
}
