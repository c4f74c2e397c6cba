import ts from 'typescript';

/** One problem in agent code, located on the agent's own lines (1-based). */
export interface AgentDiagnostic {
  line: number;
  column: number;
  /** TypeScript's diagnostic code, e.g. `TS2551`. */
  code: string;
  /** One short sentence without file names, e.g. `Property 'lst' does not exist on api.tickets. Did you mean 'list'?` */
  message: string;
}

const MAX_MESSAGE_CHARS = 300;
const MAX_EXPRESSION_CHARS = 80;
const PROPERTY_MISSING = new Set([2339, 2551]);

function flatten(chain: string | ts.DiagnosticMessageChain): string {
  if (typeof chain === 'string') return chain;
  // The head says what went wrong; the deepest leaf usually names the offending field.
  let leaf: ts.DiagnosticMessageChain = chain;
  while (leaf.next?.[0]) leaf = leaf.next[0];
  return leaf === chain ? chain.messageText : `${chain.messageText} ${leaf.messageText}`;
}

function singleLine(text: string, limit = MAX_MESSAGE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

function nodeAt(source: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

/**
 * `Property 'lst' does not exist on type '{ list(…): …; … }'` names a type the agent never wrote
 * (for `api.*` it is the whole namespace); naming the expression instead gives a message a model
 * can act on: `Property 'lst' does not exist on api.tickets. Did you mean 'list'?`.
 */
function propertyMessage(diagnostic: ts.Diagnostic, source: ts.SourceFile, text: string): string | undefined {
  if (!PROPERTY_MISSING.has(diagnostic.code) || diagnostic.start === undefined) return undefined;
  const node = nodeAt(source, diagnostic.start);
  const parent = node?.parent;
  if (!node || !parent || !ts.isPropertyAccessExpression(parent) || parent.name !== node) return undefined;
  const expression = singleLine(parent.expression.getText(source), MAX_EXPRESSION_CHARS);
  const suggestion = /Did you mean '([^']+)'\?/.exec(text)?.[1];
  const name = parent.name.getText(source);
  return `Property '${name}' does not exist on ${expression}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
}

/** True for `x.foo` where `x` is `{}`: the JavaScript idiom `const out = {}; out.total = 1`. */
export function isEmptyObjectExpando(diagnostic: ts.Diagnostic): boolean {
  if (diagnostic.code !== 2339) return false;
  const text =
    typeof diagnostic.messageText === 'string' ? diagnostic.messageText : diagnostic.messageText.messageText;
  return text.endsWith("on type '{}'.");
}

/**
 * Maps a diagnostic of the wrapped agent file to the agent's own line: the wrapper puts one line
 * before the agent's first line, so wrapped line `n` (0-based) is agent line `n`.
 */
export function toAgentDiagnostic(
  diagnostic: ts.Diagnostic,
  source: ts.SourceFile,
  linesBeforeAgentCode: number,
): AgentDiagnostic {
  const start = diagnostic.start ?? 0;
  const position = source.getLineAndCharacterOfPosition(start);
  const text = flatten(diagnostic.messageText);
  return {
    line: Math.max(1, position.line - linesBeforeAgentCode + 1),
    column: position.character + 1,
    code: `TS${diagnostic.code}`,
    message: singleLine(propertyMessage(diagnostic, source, text) ?? text),
  };
}

/** `line 3: Property 'lst' does not exist on api.tickets. Did you mean 'list'?`, one per line. */
export function formatDiagnostics(diagnostics: readonly AgentDiagnostic[]): string {
  return diagnostics.map((diagnostic) => `line ${diagnostic.line}: ${diagnostic.message}`).join('\n');
}
