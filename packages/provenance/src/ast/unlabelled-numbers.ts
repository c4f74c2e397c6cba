/**
 * Static analysis for `ast` mode: which local variables can only ever hold numbers, booleans, `null` or
 * `undefined` computed from literals of the code itself (loop counters, accumulators of constants,
 * flags). Such values never derive from a result that entered the sandbox, so the operators over them
 * need no label tracking: the transform leaves them as plain JavaScript.
 *
 * The analysis resolves every identifier to its binding (var/let/const/function/class/parameter/catch
 * scoping, annex-B block functions included), collects every write to each binding, and keeps a binding
 * "unlabelled" only while every write is an unlabelled expression (a fixpoint). Anything it cannot see
 * through — parameters, destructuring, `for…in/of` heads, globals, function and class bindings — is
 * labelled. `eval` and `with` are rejected in `ast` mode, so the static scopes are the real ones.
 */

type Node = { type: string; [key: string]: any };

/** A write to a binding: the assigned expression, `undefined` for no initializer, or null for "anything". */
type Write = Node | undefined | null;

interface Binding {
  name: string;
  id: number;
  writes: Write[];
  unlabelled: boolean;
  /** Declared by `let` or `var` (not a parameter, function, class, catch parameter or `const`). */
  variable: boolean;
  /** Every write is a declaration's initializer, `x = …` or an append (`x += …`, `x = x + …`). */
  appendOnly: boolean;
  appends: number;
  /** Writes `x = a op b` with an arithmetic operator (whose result the transform can keep in a slot). */
  arithmeticAssigns: number;
}

/** How a write assigns its binding. */
type WriteKind = 'init' | 'assign' | 'append' | 'other';

class Scope {
  readonly names = new Map<string, Binding>();
  constructor(
    readonly parent: Scope | undefined,
    /** The function (or program) scope `var` declarations in this scope belong to. */
    readonly functionScope?: Scope,
  ) {}

  get varScope(): Scope {
    return this.functionScope ?? this;
  }

  declare(name: string): Binding {
    let binding = this.names.get(name);
    if (binding === undefined) {
      binding = {
        name,
        id: 0,
        writes: [],
        unlabelled: true,
        variable: false,
        appendOnly: true,
        appends: 0,
        arithmeticAssigns: 0,
      };
      this.names.set(name, binding);
    }
    return binding;
  }

  resolve(name: string): Binding | undefined {
    for (let scope: Scope | undefined = this; scope !== undefined; scope = scope.parent) {
      const binding = scope.names.get(name);
      if (binding !== undefined) return binding;
    }
    return undefined;
  }
}

/** Operators whose result is a number computed from its operands (`+` only when both are numbers). */
const NUMERIC_BINARY = new Set(['+', '-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>']);
/** Operators whose result is a boolean whatever the operands: booleans are never labelled. */
const BOOLEAN_BINARY = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof']);
const NUMERIC_COMPOUND = new Set([
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '**=',
  '&=',
  '|=',
  '^=',
  '<<=',
  '>>=',
  '>>>=',
  '&&=',
  '||=',
  '??=',
]);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range']);

/** An assignment to an identifier: `x += e` and `x = x + e` append to it. */
/** The AST nodes directly below `node`, in source order. */
function* childNodes(node: Node): Generator<Node> {
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value)
        if (child !== null && typeof child === 'object' && typeof child.type === 'string') yield child;
    } else if (value !== null && typeof value === 'object' && typeof value.type === 'string') {
      yield value;
    }
  }
}

function writeKind(node: Node): WriteKind {
  if (node.operator === '+=') return 'append';
  if (node.operator !== '=') return 'other';
  const right = node.right;
  return right.type === 'BinaryExpression' &&
    right.operator === '+' &&
    right.left.type === 'Identifier' &&
    right.left.name === node.left.name
    ? 'append'
    : 'assign';
}

export class UnlabelledNumbers {
  private readonly bindings = new Map<Node, Binding>();
  private readonly all: Binding[] = [];
  private readonly memo = new Map<Node, boolean>();
  private readonly blockFunctions = new Set<string>();

  constructor(program: Node) {
    const root = new Scope(undefined);
    this.functionBody(program.body, root);
    this.solve();
  }

  /** Whether `node` (an expression of the analysed program) can only evaluate to an unlabelled value. */
  expression(node: Node | null | undefined): boolean {
    if (node === null || node === undefined) return false;
    let known = this.memo.get(node);
    if (known === undefined) {
      known = this.evaluate(node);
      this.memo.set(node, known);
    }
    return known;
  }

  /**
   * The id of the slotted variable the identifier refers to, if it is one: a `let`/`var` local that
   * is only ever initialised, assigned and appended to (`s += …`, `s = s + …`), is not an unlabelled
   * number, and is appended to or assigned arithmetic (`h = (h * 33 + c) >>> 0`) at least once. The
   * transform keeps such a variable's latest value (an appended text, an arithmetic result) out of the
   * label map until it is read (see the prelude's `append` and `store`).
   */
  accumulator(identifier: Node): number | undefined {
    const binding = this.bindings.get(identifier);
    if (
      binding === undefined ||
      !binding.variable ||
      !binding.appendOnly ||
      (binding.appends === 0 && binding.arithmeticAssigns === 0) ||
      binding.unlabelled
    )
      return undefined;
    return binding.id;
  }

  /** Whether the identifier (a reference or assignment target) is a binding that stays unlabelled. */
  variable(identifier: Node): boolean {
    return this.bindings.get(identifier)?.unlabelled === true;
  }

  private evaluate(node: Node): boolean {
    switch (node.type) {
      case 'Literal':
        return (
          (node.value === null || typeof node.value === 'number' || typeof node.value === 'boolean') &&
          node.regex === undefined &&
          node.bigint === undefined
        );
      case 'Identifier':
        return this.variable(node);
      case 'UnaryExpression':
        if (node.operator === '!') return true;
        return (
          (node.operator === '-' || node.operator === '+' || node.operator === '~') &&
          this.expression(node.argument)
        );
      case 'BinaryExpression':
        if (BOOLEAN_BINARY.has(node.operator)) return true;
        return NUMERIC_BINARY.has(node.operator) && this.expression(node.left) && this.expression(node.right);
      case 'LogicalExpression':
        return this.expression(node.left) && this.expression(node.right);
      case 'ConditionalExpression':
        return this.expression(node.consequent) && this.expression(node.alternate);
      case 'SequenceExpression':
        return this.expression(node.expressions[node.expressions.length - 1]);
      case 'UpdateExpression':
        return node.argument.type === 'Identifier' && this.variable(node.argument);
      case 'AssignmentExpression':
        return (
          node.left.type === 'Identifier' &&
          this.variable(node.left) &&
          (node.operator === '=' || NUMERIC_COMPOUND.has(node.operator)) &&
          this.expression(node.right)
        );
      default:
        return false;
    }
  }

  /** Fixpoint: a binding stays unlabelled while every write to it is an unlabelled expression. */
  private solve(): void {
    for (const binding of this.all) {
      if (this.blockFunctions.has(binding.name)) {
        binding.unlabelled = false;
        binding.appendOnly = false;
      }
    }
    let changed = true;
    while (changed) {
      changed = false;
      this.memo.clear();
      for (const binding of this.all) {
        if (!binding.unlabelled) continue;
        if (
          binding.writes.some((write) => write === null || (write !== undefined && !this.expression(write)))
        ) {
          binding.unlabelled = false;
          changed = true;
        }
      }
    }
    this.memo.clear();
  }

  private declare(scope: Scope, name: string, write: Write | 'none', variable = false): Binding {
    const fresh = !scope.names.has(name);
    const binding = scope.declare(name);
    if (fresh) {
      binding.id = this.all.length;
      binding.variable = variable;
      this.all.push(binding);
    }
    // A function's own `arguments` object shares the name (and, in sloppy mode, a `var` of that name):
    // whatever is called `arguments` may hold anything.
    const written = name === 'arguments' ? null : write;
    if (written !== 'none') binding.writes.push(written);
    if (written === null) binding.appendOnly = false;
    return binding;
  }

  private write(identifier: Node, scope: Scope, value: Write, kind: WriteKind): void {
    const binding = scope.resolve(identifier.name);
    if (binding === undefined) return;
    this.bindings.set(identifier, binding);
    binding.writes.push(value);
    if (value === null || kind === 'other') binding.appendOnly = false;
    if (kind === 'append') binding.appends++;
    if (
      kind === 'assign' &&
      value?.type === 'BinaryExpression' &&
      NUMERIC_BINARY.has(value.operator as string)
    ) {
      binding.arithmeticAssigns++;
    }
  }

  // ---- declarations --------------------------------------------------------------------------------

  /** Names bound by a pattern (parameters, destructuring). */
  private patternNames(pattern: Node | null, out: string[] = []): string[] {
    if (pattern === null) return out;
    switch (pattern.type) {
      case 'Identifier':
        out.push(pattern.name);
        break;
      case 'ObjectPattern':
        for (const property of pattern.properties)
          this.patternNames(property.type === 'RestElement' ? property.argument : property.value, out);
        break;
      case 'ArrayPattern':
        for (const element of pattern.elements) this.patternNames(element, out);
        break;
      case 'AssignmentPattern':
        this.patternNames(pattern.left, out);
        break;
      case 'RestElement':
        this.patternNames(pattern.argument, out);
        break;
    }
    return out;
  }

  /** `var` declarations anywhere in a function body, not in nested functions. */
  private hoistVars(node: Node, scope: Scope, params: Set<string>, topLevel: boolean): void {
    if (FUNCTIONS.has(node.type)) {
      // A function declared in a block may (annex B) or may not also bind its name in the enclosing
      // function scope: rather than model the rule, no variable of that name anywhere is unlabelled.
      if (node.type === 'FunctionDeclaration' && node.id && !topLevel) this.blockFunctions.add(node.id.name);
      return;
    }
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      for (const declarator of node.declarations) {
        for (const name of this.patternNames(declarator.id)) {
          // `var p` redeclaring a parameter is the parameter: it holds the argument.
          this.declare(scope, name, params.has(name) ? null : 'none', true);
        }
      }
    }
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      if (node.superClass) this.hoistVars(node.superClass, scope, params, false);
      return; // class bodies hold methods and field initializers, never `var`
    }
    for (const child of childNodes(node)) this.hoistVars(child, scope, params, false);
  }

  /** let/const/class/function declarations directly in a statement list. */
  private declareLexical(statements: Node[], scope: Scope): void {
    for (const statement of statements) {
      if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
        for (const declarator of statement.declarations)
          for (const name of this.patternNames(declarator.id))
            this.declare(scope, name, 'none', statement.kind === 'let');
      } else if (
        (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') &&
        statement.id
      ) {
        this.declare(scope, statement.id.name, null);
      }
    }
  }

  private functionBody(statements: Node[], scope: Scope, params = new Set<string>()): void {
    for (const statement of statements) this.hoistVars(statement, scope, params, true);
    for (const statement of statements) {
      if (statement.type === 'FunctionDeclaration' && statement.id)
        this.declare(scope, statement.id.name, null);
    }
    this.declareLexical(statements, scope);
    for (const statement of statements) this.walk(statement, scope);
  }

  private func(node: Node, outer: Scope): void {
    let scope = outer;
    if (node.type === 'FunctionExpression' && node.id) {
      scope = new Scope(outer);
      this.declare(scope, node.id.name, null);
    }
    const paramScope = new Scope(scope);
    if (node.type !== 'ArrowFunctionExpression') this.declare(paramScope, 'arguments', null);
    const params = new Set<string>();
    for (const param of node.params) {
      for (const name of this.patternNames(param)) {
        params.add(name);
        this.declare(paramScope, name, null);
      }
    }
    // Default values and computed keys in parameters see the parameters, not the body's declarations.
    for (const param of node.params) this.pattern(param, paramScope, false);
    const bodyScope = new Scope(paramScope);
    if (node.body.type === 'BlockStatement') this.functionBody(node.body.body, bodyScope, params);
    else this.walk(node.body, bodyScope);
  }

  // ---- references and writes -----------------------------------------------------------------------

  /** A pattern's targets get "anything" (destructured or bound from outside); defaults are walked. */
  private pattern(node: Node | null, scope: Scope, assign: boolean): void {
    if (node === null) return;
    switch (node.type) {
      case 'Identifier':
        if (assign) this.write(node, scope, null, 'other');
        else this.reference(node, scope);
        return;
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') this.pattern(property.argument, scope, assign);
          else {
            if (property.computed) this.walk(property.key, scope);
            this.pattern(property.value, scope, assign);
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of node.elements) this.pattern(element, scope, assign);
        return;
      case 'AssignmentPattern':
        this.pattern(node.left, scope, assign);
        this.walk(node.right, scope);
        return;
      case 'RestElement':
        this.pattern(node.argument, scope, assign);
        return;
      default:
        this.walk(node, scope); // member targets
    }
  }

  private reference(identifier: Node, scope: Scope): void {
    const binding = scope.resolve(identifier.name);
    if (binding !== undefined) this.bindings.set(identifier, binding);
  }

  private declarators(node: Node, scope: Scope, fromLoopHead: boolean): void {
    for (const declarator of node.declarations) {
      if (declarator.init) this.walk(declarator.init, scope);
      if (declarator.id.type === 'Identifier') {
        // `let x;` in a loop body re-initialises to undefined each iteration: still unlabelled.
        const value: Write = fromLoopHead ? null : (declarator.init ?? undefined);
        this.write(declarator.id, scope, value, 'init');
      } else {
        this.pattern(declarator.id, scope, true);
      }
    }
  }

  private block(statements: Node[], scope: Scope): void {
    const inner = new Scope(scope, scope.varScope);
    for (const statement of statements) {
      if (statement.type === 'FunctionDeclaration' && statement.id)
        this.declare(inner, statement.id.name, null);
    }
    this.declareLexical(statements, inner);
    for (const statement of statements) this.walk(statement, inner);
  }

  private walk(node: Node | null, scope: Scope): void {
    if (node === null || node === undefined) return;
    switch (node.type) {
      case 'Identifier':
        this.reference(node, scope);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.func(node, scope);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression': {
        if (node.superClass) this.walk(node.superClass, scope);
        const inner = new Scope(scope);
        if (node.id) this.declare(inner, node.id.name, null);
        for (const member of node.body.body) {
          if (member.computed) this.walk(member.key, inner);
          if (member.type === 'StaticBlock') this.functionBody(member.body, new Scope(inner));
          else if (member.value) this.walk(member.value, new Scope(inner));
        }
        return;
      }
      case 'BlockStatement':
        this.block(node.body, scope);
        return;
      case 'SwitchStatement': {
        this.walk(node.discriminant, scope);
        const inner = new Scope(scope, scope.varScope);
        const statements = node.cases.flatMap((c: Node) => c.consequent);
        for (const statement of statements) {
          if (statement.type === 'FunctionDeclaration' && statement.id)
            this.declare(inner, statement.id.name, null);
        }
        this.declareLexical(statements, inner);
        for (const c of node.cases) {
          if (c.test) this.walk(c.test, inner);
          for (const statement of c.consequent) this.walk(statement, inner);
        }
        return;
      }
      case 'ForStatement': {
        const inner = new Scope(scope, scope.varScope);
        if (node.init?.type === 'VariableDeclaration' && node.init.kind !== 'var')
          this.declareLexical([node.init], inner);
        this.walk(node.init, inner);
        this.walk(node.test, inner);
        this.walk(node.update, inner);
        this.walk(node.body, inner);
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const inner = new Scope(scope, scope.varScope);
        if (node.left.type === 'VariableDeclaration') {
          if (node.left.kind !== 'var') this.declareLexical([node.left], inner);
          this.walk(node.right, inner);
          this.declarators(node.left, inner, true);
        } else {
          this.walk(node.right, inner);
          this.pattern(node.left, inner, true);
        }
        this.walk(node.body, inner);
        return;
      }
      case 'CatchClause': {
        const inner = new Scope(scope, scope.varScope);
        if (node.param) {
          for (const name of this.patternNames(node.param)) this.declare(inner, name, null);
          this.pattern(node.param, inner, false);
        }
        this.walk(node.body, inner);
        return;
      }
      case 'VariableDeclaration':
        this.declarators(node, scope, false);
        return;
      case 'AssignmentExpression':
        this.walk(node.right, scope);
        if (node.left.type === 'Identifier') this.write(node.left, scope, node.right, writeKind(node));
        else this.pattern(node.left, scope, true);
        return;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') this.write(node.argument, scope, undefined, 'other');
        else this.walk(node.argument, scope);
        return;
      case 'MemberExpression':
        this.walk(node.object, scope);
        if (node.computed) this.walk(node.property, scope);
        return;
      case 'Property':
        if (node.computed) this.walk(node.key, scope);
        this.walk(node.value, scope);
        return;
      case 'LabeledStatement':
        this.walk(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'Literal':
      case 'ThisExpression':
      case 'Super':
      case 'PrivateIdentifier':
      case 'TemplateElement':
        return;
      default:
        for (const child of childNodes(node)) this.walk(child, scope);
    }
  }
}
