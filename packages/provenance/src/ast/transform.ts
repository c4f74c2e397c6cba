import { RESERVED_IDENTIFIER_PREFIX } from '@agent-tool-protocol/protocol';
import { parse } from 'acorn';
import { generate } from 'astring';
import { HELPERS, PRELUDE_SOURCE } from './prelude.js';
import { UnlabelledNumbers } from './unlabelled-numbers.js';

/** An acorn (ESTree) node; the transform rewrites nodes in place or returns replacements. */
type Node = { type: string; [key: string]: any };

/** Why agent code cannot be instrumented (the execution is then rejected, never run untracked). */
export class InstrumentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstrumentationError';
  }
}

const RESERVED_PREFIX = RESERVED_IDENTIFIER_PREFIX;
/** The prelude's helper for each arithmetic operator (`opM`, for members, dispatches on the operator). */
const ARITHMETIC = new Map([
  ['+', 'add'],
  ['-', 'sub'],
  ['*', 'mul'],
  ['/', 'div'],
  ['%', 'mod'],
  ['**', 'pow'],
  ['&', 'and'],
  ['|', 'or'],
  ['^', 'xor'],
  ['<<', 'shl'],
  ['>>', 'shr'],
  ['>>>', 'ushr'],
]);
const arithmetic = (operator: string, left: Node, right: Node): Node => {
  const name = ARITHMETIC.get(operator);
  if (name === undefined) throw new InstrumentationError(`unsupported operator ${operator}`);
  return helper(name, [left, right]);
};
/** Operators whose (boolean) result carries no label: their operands' labels are never needed. */
const COMPARISON = new Set(['<', '<=', '>', '>=', '==', '!=', '===', '!==']);
/**
 * Temporaries (see the prelude's `binaryTemp`): an arithmetic operand whose result only its consumer
 * sees leaves its label in the prelude's `temp` rather than the label map. Modes of the `…T` helpers.
 */
const TEMP_LEFT = 1;
const TEMP_RIGHT = 2;
const TEMP_RESULT = 4;
const LABEL_UNUSED = 8;
/** get flag: the key is a temporary (its label is in `temp`). */
const TEMPORARY_KEY = 16;
/** append mode: the appended value is a temporary. */
const APPENDED_TEMPORARY = 2;
/** An expression the transform rewrites to an arithmetic helper (not proved unlabelled). */
const isTrackedArithmetic = (node: Node): boolean =>
  node.type === 'BinaryExpression' && ARITHMETIC.has(node.operator) && !isUnlabelled(node);
/**
 * A tracked arithmetic expression whose operands that are arithmetic themselves become temporaries.
 * `resultMode` 0: the result goes into the label map as before; TEMP_RESULT: the caller consumes its
 * label from `temp` before anything else runs; LABEL_UNUSED: nobody needs its label.
 */
function visitArithmetic(node: Node, resultMode: 0 | typeof TEMP_RESULT | typeof LABEL_UNUSED): Node {
  const childMode = resultMode === LABEL_UNUSED ? LABEL_UNUSED : TEMP_RESULT;
  const leftTemp = visitTemporary(node.left, childMode);
  const left = leftTemp ?? visit(node.left);
  const rightTemp = visitTemporary(node.right, childMode);
  const right = rightTemp ?? visit(node.right);
  return combine(node.operator, left, leftTemp !== undefined, right, rightTemp !== undefined, resultMode);
}
/**
 * An operand rewritten to produce a temporary (mode TEMP_RESULT) or to skip its label (LABEL_UNUSED),
 * or undefined when it is neither tracked arithmetic nor a slotted variable. A slotted variable read as
 * an operand (`rd`) hands over its slot's label together with whatever the label map holds for its
 * value, so its pending value need not enter the map.
 */
function visitTemporary(node: Node, mode: typeof TEMP_RESULT | typeof LABEL_UNUSED): Node | undefined {
  if (isTrackedArithmetic(node)) return visitArithmetic(node, mode);
  const slot = accumulatorSlot(node);
  if (slot === undefined) return undefined;
  checkName(node);
  return mode === LABEL_UNUSED ? identifier(node.name) : helper('rd', [identifier(node.name), slot]);
}
function combine(
  operator: string,
  left: Node,
  leftTemp: boolean,
  right: Node,
  rightTemp: boolean,
  resultMode: number,
): Node {
  if (!leftTemp && !rightTemp && resultMode === 0) return arithmetic(operator, left, right);
  if (resultMode === LABEL_UNUSED)
    return helper(`${ARITHMETIC.get(operator)}T`, [left, literal(0), right, literal(LABEL_UNUSED)]);
  const mode = (leftTemp ? TEMP_LEFT : 0) | (rightTemp ? TEMP_RIGHT : 0) | resultMode;
  // `tk()` is the next argument after the left operand: it reads `temp` before the right operand runs.
  const leftLabel = leftTemp ? helper('tk', []) : literal(0);
  return helper(`${ARITHMETIC.get(operator)}T`, [left, leftLabel, right, literal(mode)]);
}
/** An operand whose label its consumer takes from `temp` when it is tracked arithmetic. */
function visitOperand(node: Node): { node: Node; temp: boolean } {
  const temporary = visitTemporary(node, TEMP_RESULT);
  return temporary !== undefined ? { node: temporary, temp: true } : { node: visit(node), temp: false };
}
const LOGICAL_ASSIGN = new Set(['&&=', '||=', '??=']);
const LEAVES = new Set([
  'Literal',
  'ThisExpression',
  'Super',
  'MetaProperty',
  'PrivateIdentifier',
  'TemplateElement',
]);
const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range']);
/** Properties whose (non-computed) read yields a new string derived from the object's data. */
const DERIVED_PROPERTIES = new Set(['stack', 'source']);
const CAUGHT = `${RESERVED_IDENTIFIER_PREFIX}caught`;
/** get flag: the key is an unlabelled number (a loop counter), so only the receiver's label counts. */
const UNLABELLED_KEY = 8;

/** The analysis of the program being instrumented (set for the duration of one `instrumentCode`). */
let unlabelled: UnlabelledNumbers | undefined;
const isUnlabelled = (node: Node): boolean => unlabelled?.expression(node) === true;
const isUnlabelledVariable = (node: Node): boolean =>
  node.type === 'Identifier' && unlabelled?.variable(node) === true;
/**
 * The hidden variable holding a slotted local's pending value: the text of a string accumulator (see
 * the prelude's `append`) or the result of arithmetic assigned to it (`store`).
 */
const accumulatorSlot = (node: Node): Node | undefined => {
  const id = node.type === 'Identifier' ? unlabelled?.accumulator(node) : undefined;
  return id === undefined ? undefined : identifier(`${RESERVED_IDENTIFIER_PREFIX}a${id}`);
};
/** Assignments whose value nobody uses (a statement, a `for` update): only these may leave text pending. */
const discardedValues = new WeakSet<Node>();
/**
 * `s = append(hold(s), e)`: the read of `s` and the append, with `e` evaluated in between. Where the
 * assignment's value is used (`send(s += x)`), that value is a read of `s`: it enters the map at once.
 */
const appendTo = (assignment: Node, slot: Node, right: Node): Node => {
  const target = assignment.left;
  checkName(target);
  const held = helper('hold', [identifier(target.name), slot]);
  const operand = visitOperand(right);
  const appended = assign(
    target,
    helper(
      'append',
      operand.temp ? [held, operand.node, slot, literal(APPENDED_TEMPORARY)] : [held, operand.node, slot],
    ),
  );
  return discardedValues.has(assignment) ? appended : helper('flushed', [appended, slot]);
};

const identifier = (name: string): Node => ({ type: 'Identifier', name });
const literal = (value: string | number): Node => ({ type: 'Literal', value });
const undefinedValue = (): Node => ({
  type: 'UnaryExpression',
  operator: 'void',
  prefix: true,
  argument: literal(0),
});
const array = (elements: Node[]): Node => ({ type: 'ArrayExpression', elements });
const helper = (name: string, args: Node[]): Node => ({
  type: 'CallExpression',
  callee: {
    type: 'MemberExpression',
    object: identifier(HELPERS),
    property: identifier(name),
    computed: false,
    optional: false,
  },
  arguments: args,
  optional: false,
});
const assign = (left: Node, right: Node): Node => ({
  type: 'AssignmentExpression',
  operator: '=',
  left,
  right,
});
const isHelperCall = (node: Node): boolean =>
  node.type === 'CallExpression' &&
  node.callee.type === 'MemberExpression' &&
  node.callee.object.type === 'Identifier' &&
  node.callee.object.name === HELPERS;

function checkName(node: Node): void {
  if (typeof node.name === 'string' && node.name.startsWith(RESERVED_PREFIX)) {
    throw new InstrumentationError(
      `identifiers starting with "${RESERVED_PREFIX}" are reserved (found "${node.name}")`,
    );
  }
}

/** How a destructuring source must be prepared: `chars` for `[a, b] = s`, `deepChars` for nested array patterns. */
function destructuringHelper(pattern: Node): 'chars' | 'deepChars' | undefined {
  const nested = (node: Node | null): boolean => {
    if (node === null) return false;
    switch (node.type) {
      case 'ArrayPattern':
        return true;
      case 'ObjectPattern':
        return node.properties.some((property: Node) =>
          nested(property.type === 'RestElement' ? property.argument : property.value),
        );
      case 'AssignmentPattern':
        return nested(node.left);
      case 'RestElement':
        return nested(node.argument);
      default:
        return false;
    }
  };
  if (pattern.type === 'ArrayPattern') {
    return pattern.elements.some(
      (element: Node | null) => element !== null && element.type !== 'Identifier' && nested(element),
    )
      ? 'deepChars'
      : 'chars';
  }
  return pattern.type === 'ObjectPattern' && nested(pattern) ? 'deepChars' : undefined;
}

function prepareSource(pattern: Node, source: Node): Node {
  const name = destructuringHelper(pattern);
  return name === undefined ? source : helper(name, [source]);
}

/** Member targets whose object can be evaluated twice without side effects (for `#private` fields). */
function duplicable(member: Node): boolean {
  return member.object.type === 'ThisExpression' || member.object.type === 'Identifier';
}

function propertyKey(member: Node): Node {
  return member.computed ? visit(member.property) : literal(member.property.name);
}

function visitChildren(node: Node): Node {
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i];
        if (child !== null && typeof child === 'object' && typeof child.type === 'string')
          value[i] = visit(child);
      }
    } else if (value !== null && typeof value === 'object' && typeof value.type === 'string') {
      node[key] = visit(value);
    }
  }
  return node;
}

/** Patterns and assignment targets: member targets stay members (their parts are visited). */
function visitTarget(node: Node | null): Node | null {
  if (node === null) return null;
  switch (node.type) {
    case 'Identifier':
      checkName(node);
      return node;
    case 'MemberExpression':
      if (node.object.type !== 'Super') node.object = visit(node.object);
      if (node.computed) node.property = visit(node.property);
      return node;
    case 'ObjectPattern':
      for (const property of node.properties) {
        if (property.type === 'RestElement') property.argument = visitTarget(property.argument);
        else {
          if (property.computed) property.key = visit(property.key);
          else checkName(property.key);
          property.value = visitTarget(property.value);
        }
      }
      return node;
    case 'ArrayPattern':
      node.elements = node.elements.map((element: Node | null) => visitTarget(element));
      return node;
    case 'AssignmentPattern':
      node.left = visitTarget(node.left);
      node.right = prepareSource(node.left, visit(node.right));
      return node;
    case 'RestElement':
      node.argument = visitTarget(node.argument);
      return node;
    case 'VariableDeclaration':
      for (const declarator of node.declarations) declarator.id = visitTarget(declarator.id);
      return node;
    default:
      return visit(node);
  }
}

function visitCall(node: Node, inChain: boolean): Node {
  const args: Node[] = node.arguments.map((argument: Node) => visit(argument));
  const callee = node.callee;
  let flags = (inChain ? 4 : 0) | (node.optional ? 2 : 0);
  if (callee.type === 'Super' || callee.type === 'Import') {
    node.arguments = args;
    return node;
  }
  if (callee.type === 'MemberExpression') {
    if (callee.object.type === 'Super' || callee.property.type === 'PrivateIdentifier') {
      if (callee.object.type !== 'Super') callee.object = visitPart(callee.object, inChain);
      if (callee.computed) callee.property = visit(callee.property);
      node.arguments = args;
      return node;
    }
    flags |= callee.optional ? 1 : 0;
    const object = visitPart(callee.object, inChain);
    return helper('call', [object, propertyKey(callee), array(args), literal(flags)]);
  }
  return helper('fn', [visitPart(callee, inChain), array(args), literal(flags)]);
}

function visitMember(node: Node, inChain: boolean): Node {
  if (node.object.type === 'Super') {
    if (node.computed) node.property = visit(node.property);
    return node;
  }
  if (node.property.type === 'PrivateIdentifier') {
    node.object = visitPart(node.object, inChain);
    return node;
  }
  const slot =
    !node.computed && !inChain && node.property.name === 'length' ? accumulatorSlot(node.object) : undefined;
  if (slot !== undefined) {
    // `s.length` of a string carries no label and runs no code (an own, non-configurable property), so
    // a pending text stays pending. A slot may also hold a number or a bigint, whose `length` is looked
    // up on a prototype where agent code may have put a getter that sees the value: flushed first.
    checkName(node.object);
    const name = node.object.name;
    node.object = {
      type: 'ConditionalExpression',
      test: {
        type: 'BinaryExpression',
        operator: '===',
        left: { type: 'UnaryExpression', operator: 'typeof', prefix: true, argument: identifier(name) },
        right: literal('string'),
      },
      consequent: identifier(name),
      alternate: helper('flushed', [identifier(name), slot]),
    };
    return node;
  }
  const object = visitPart(node.object, inChain);
  if (!node.computed && !inChain && !DERIVED_PROPERTIES.has(node.property.name)) {
    node.object = object;
    return node;
  }
  let keyFlag = node.computed && isUnlabelled(node.property) ? UNLABELLED_KEY : 0;
  let key: Node;
  const temporary = node.computed && keyFlag === 0 ? visitTemporary(node.property, TEMP_RESULT) : undefined;
  if (temporary !== undefined) {
    key = temporary;
    keyFlag = TEMPORARY_KEY;
  } else key = propertyKey(node);
  const flags = (inChain ? 4 : 0) | (node.optional ? 1 : 0) | keyFlag;
  return helper('get', [object, key, literal(flags)]);
}

/** Inside an optional chain every call and member becomes a helper that short-circuits on nullish. */
function visitPart(node: Node, inChain: boolean): Node {
  if (!inChain) return visit(node);
  if (node.type === 'CallExpression') return visitCall(node, true);
  if (node.type === 'MemberExpression') return visitMember(node, true);
  return visit(node);
}

function visitCompoundAssignment(node: Node): Node {
  const operator = node.operator.slice(0, -1);
  const left = node.left;
  if (isUnlabelledVariable(left)) {
    // Every write to this variable is an unlabelled number, this one included: plain JavaScript.
    checkName(left);
    node.right = visit(node.right);
    return node;
  }
  if (left.type === 'Identifier') {
    checkName(left);
    const right = visitOperand(node.right);
    return assign(left, combine(operator, identifier(left.name), false, right.node, right.temp, 0));
  }
  const right = visit(node.right);
  if (left.type === 'MemberExpression' && left.property.type === 'PrivateIdentifier') {
    if (!duplicable(left)) {
      throw new InstrumentationError(
        'compound assignment to a #private field of a computed object is not supported',
      );
    }
    const read = { ...left };
    return assign(left, arithmetic(operator, read, right));
  }
  if (left.type === 'MemberExpression' && left.object.type !== 'Super') {
    return helper('opM', [literal(operator), visit(left.object), propertyKey(left), right]);
  }
  throw new InstrumentationError(`unsupported target of ${node.operator}`);
}

function visitUpdate(node: Node): Node {
  const delta = literal(node.operator === '++' ? 1 : -1);
  const target = node.argument;
  if (isUnlabelledVariable(target)) {
    checkName(target);
    return node;
  }
  if (
    target.type === 'Identifier' ||
    (target.type === 'MemberExpression' && target.property.type === 'PrivateIdentifier')
  ) {
    if (target.type === 'Identifier') checkName(target);
    else if (!duplicable(target)) {
      throw new InstrumentationError('++/-- on a #private field of a computed object is not supported');
    }
    const update = assign(target, helper('step', [{ ...target }, delta]));
    // A statement's `x++` needs no old value (nor to read `x` a second time).
    return node.prefix || discardedValues.has(node) ? update : helper('post', [{ ...target }, update]);
  }
  if (target.type === 'MemberExpression' && target.object.type !== 'Super') {
    return helper('updM', [visit(target.object), propertyKey(target), delta, literal(node.prefix ? 1 : 0)]);
  }
  throw new InstrumentationError(`unsupported target of ${node.operator}`);
}

function visitTagged(node: Node): Node {
  const values = node.quasi.expressions.map((expression: Node) => visit(expression));
  const cooked = array(
    node.quasi.quasis.map((quasi: Node) =>
      quasi.value.cooked === null || quasi.value.cooked === undefined
        ? undefinedValue()
        : literal(quasi.value.cooked),
    ),
  );
  const raw = array(node.quasi.quasis.map((quasi: Node) => literal(quasi.value.raw)));
  const tag = node.tag;
  if (
    tag.type === 'MemberExpression' &&
    tag.object.type !== 'Super' &&
    tag.property.type !== 'PrivateIdentifier'
  ) {
    return helper('tagM', [visit(tag.object), propertyKey(tag), cooked, raw, array(values)]);
  }
  return helper('tag', [visit(tag), cooked, raw, array(values)]);
}

function visit(node: Node): Node {
  switch (node.type) {
    case 'Identifier': {
      checkName(node);
      // Reading a string accumulator: its pending text enters the label map first.
      const slot = accumulatorSlot(node);
      return slot === undefined ? node : helper('flushed', [node, slot]);
    }
    case 'VariableDeclaration': {
      visitChildren(node);
      const declarations: Node[] = [];
      for (const declarator of node.declarations) {
        declarations.push(declarator);
        const slot = accumulatorSlot(declarator.id);
        if (slot === undefined) continue;
        // `var` may be declared again: the slot (like the variable) survives a redeclaration.
        const init = helper('slot', node.kind === 'var' ? [identifier(slot.name)] : []);
        declarations.push({ type: 'VariableDeclarator', id: slot, init });
      }
      node.declarations = declarations;
      return node;
    }
    case 'WithStatement':
      throw new InstrumentationError('`with` statements are not allowed');
    case 'BinaryExpression': {
      if (isTrackedArithmetic(node)) return visitArithmetic(node, 0);
      if (COMPARISON.has(node.operator)) {
        // A comparison's operands are seen by the comparison alone, which yields an unlabelled boolean.
        const operand = (child: Node) => visitTemporary(child, LABEL_UNUSED) ?? visit(child);
        node.left = operand(node.left);
        node.right = operand(node.right);
        return node;
      }
      node.left = visit(node.left);
      node.right = visit(node.right);
      return node;
    }
    case 'AssignmentExpression': {
      const slot = accumulatorSlot(node.left);
      if (slot !== undefined && node.operator === '+=') return appendTo(node, slot, node.right);
      if (
        slot !== undefined &&
        node.operator === '=' &&
        node.right.type === 'BinaryExpression' &&
        node.right.operator === '+' &&
        node.right.left.type === 'Identifier' &&
        node.right.left.name === node.left.name
      ) {
        return appendTo(node, slot, node.right.right);
      }
      if (slot !== undefined && node.operator === '=') {
        // Any other write to a slotted variable: arithmetic waits in the slot (`store`), anything else
        // (already findable in the map) ends what the slot held (`put`).
        checkName(node.left);
        const value = isTrackedArithmetic(node.right)
          ? helper('store', [visitArithmetic(node.right, TEMP_RESULT), slot])
          : helper('put', [visit(node.right), slot]);
        const assigned = assign(identifier(node.left.name), value);
        return discardedValues.has(node) ? assigned : helper('flushed', [assigned, slot]);
      }
      if (node.operator === '=') {
        node.left = visitTarget(node.left);
        node.right = prepareSource(node.left, visit(node.right));
        return node;
      }
      if (LOGICAL_ASSIGN.has(node.operator)) {
        node.left = visitTarget(node.left);
        node.right = visit(node.right);
        return node;
      }
      return visitCompoundAssignment(node);
    }
    case 'UpdateExpression':
      return visitUpdate(node);
    case 'UnaryExpression': {
      if (node.operator === 'delete' && node.argument.type === 'Identifier') {
        checkName(node.argument);
        return node;
      }
      if (node.operator === 'delete' && node.argument.type === 'MemberExpression') {
        node.argument = visitTarget(node.argument);
        return node;
      }
      const plain = isUnlabelled(node);
      node.argument = visit(node.argument);
      if (plain) return node;
      if (node.operator === '-' || node.operator === '+' || node.operator === '~') {
        return helper('un', [literal(node.operator), node.argument]);
      }
      return node;
    }
    case 'TemplateLiteral': {
      const values = node.expressions.map((expression: Node) => visit(expression));
      const strings = node.quasis.map((quasi: Node) => literal(quasi.value.cooked ?? ''));
      return helper('tpl', [array(strings), array(values)]);
    }
    case 'TaggedTemplateExpression':
      return visitTagged(node);
    case 'CallExpression':
      return visitCall(node, false);
    case 'NewExpression':
      return helper('nw', [
        visit(node.callee),
        array(node.arguments.map((argument: Node) => visit(argument))),
      ]);
    case 'MemberExpression':
      return visitMember(node, false);
    case 'ChainExpression': {
      const inner = visitPart(node.expression, true);
      if (isHelperCall(inner)) return inner;
      node.expression = inner;
      return node;
    }
    case 'SpreadElement':
      node.argument = helper('chars', [visit(node.argument)]);
      return node;
    case 'ForOfStatement': {
      node.left = visitTarget(node.left);
      node.right = helper('chars', [visit(node.right)]);
      // Each element is destructured: strings inside elements need labelled characters.
      const pattern = node.left.type === 'VariableDeclaration' ? node.left.declarations[0].id : node.left;
      if (pattern.type === 'ArrayPattern' || pattern.type === 'ObjectPattern') {
        if (destructuringHelper(pattern) !== undefined) node.right = helper('deepChars', [node.right]);
      }
      node.body = visit(node.body);
      return node;
    }
    case 'ForInStatement':
      node.left = visitTarget(node.left);
      node.right = visit(node.right);
      node.body = visit(node.body);
      return node;
    case 'VariableDeclarator':
      node.id = visitTarget(node.id);
      if (node.init) {
        node.init = prepareSource(node.id, visit(node.init));
      }
      return node;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (node.id) checkName(node.id);
      node.params = node.params.map((param: Node) => visitTarget(param));
      node.body = visit(node.body);
      return node;
    case 'CatchClause': {
      node.body = visit(node.body);
      if (!node.param) return node;
      const param = visitTarget(node.param)!;
      if (param.type === 'Identifier') {
        node.body.body.unshift({
          type: 'ExpressionStatement',
          expression: helper('caught', [identifier(param.name)]),
        });
        return node;
      }
      node.param = identifier(CAUGHT);
      node.body.body.unshift({
        type: 'VariableDeclaration',
        kind: 'let',
        declarations: [
          { type: 'VariableDeclarator', id: param, init: helper('caught', [identifier(CAUGHT)]) },
        ],
      });
      return node;
    }
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      if (node.computed) node.key = visit(node.key);
      else if (node.key.type === 'Identifier') checkName(node.key);
      if (node.value) node.value = visit(node.value);
      if (node.shorthand && node.value.type !== 'Identifier') node.shorthand = false;
      return node;
    case 'ExpressionStatement':
      discardedValues.add(node.expression);
      return visitChildren(node);
    case 'ForStatement':
      if (node.update) discardedValues.add(node.update);
      return visitChildren(node);
    case 'LabeledStatement':
      checkName(node.label);
      node.body = visit(node.body);
      return node;
    case 'BreakStatement':
    case 'ContinueStatement':
      return node;
    default:
      if (LEAVES.has(node.type)) return node;
      return visitChildren(node);
  }
}

/** The offset just after the code's directive prologue, or undefined when it does not parse. */
export function directivesEnd(body: string): number | undefined {
  let program: Node;
  try {
    program = parse(body, PARSE_OPTIONS) as unknown as Node;
  } catch {
    return undefined;
  }
  let end = 0;
  for (const statement of program.body) {
    if (typeof statement.directive !== 'string') break;
    end = statement.end;
  }
  return end;
}

const PARSE_OPTIONS = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowHashBang: false,
} as const;

/**
 * Instruments agent code (a function body, types already stripped) for `ast` provenance mode and
 * prepends the in-sandbox tracker. Throws InstrumentationError when the code cannot be instrumented:
 * the execution is then rejected rather than run without tracking.
 */
export function instrumentCode(body: string): string {
  let program: Node;
  try {
    program = parse(body, PARSE_OPTIONS) as unknown as Node;
  } catch (error) {
    throw new InstrumentationError(
      `the code could not be parsed for provenance tracking: ${(error as Error).message}`,
    );
  }
  let instrumented: Node;
  unlabelled = new UnlabelledNumbers(program);
  try {
    instrumented = visit(program);
  } finally {
    unlabelled = undefined;
  }
  // Directives ('use strict') must stay first to keep their meaning: they go before the prelude.
  const directives: Node[] = [];
  while (instrumented.body.length > 0 && typeof instrumented.body[0].directive === 'string') {
    directives.push(instrumented.body.shift());
  }
  const head =
    directives.length === 0
      ? ''
      : generate({ type: 'Program', sourceType: 'script', body: directives } as never);
  return `${head}${PRELUDE_SOURCE}${generate(instrumented as never)}`;
}
