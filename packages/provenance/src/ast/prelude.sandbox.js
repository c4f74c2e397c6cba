// @ts-check
/**
 * The in-sandbox half of `ast` mode (loaded as text: see `prelude.ts`), prepended to the instrumented
 * agent code: it runs before any agent statement, in the same isolate, and never calls the host on its
 * own. The prelude evaluates this file, calls the function it ends with with the bootstrap's provenance
 * seam (`globalThis.__atp_provenance`, `SANDBOX_GLOBALS.provenance`) and binds the helpers it returns
 * to the identifier the instrumented code calls (`HELPERS`).
 *
 * Labels live INSIDE the isolate: a label is an interned, sorted set of source tags (`tool:<group.fn>`,
 * `llm`, `cache`, `embedding`, `unknown`), and labelled values are primitives keyed by value in a Map
 * (strings, and numbers derived from labelled data; raw numbers returned by tools carry a weak label
 * that does not propagate through indexing, so a tool's `count: 0` does not taint every `arr[0]`).
 * The transform leaves arithmetic over provably unlabelled numbers (loop counters) uninstrumented; the
 * latest value of a local only appended to or assigned arithmetic (`s += line`, `h = h * 33 + c`) waits
 * in a slot until it is read; and nested arithmetic hands its label to the operator that consumes it
 * (a temporary) rather than to the map. Operators convert object operands themselves, so the labels
 * of what an agent's `valueOf` / `toString` / `Symbol.toPrimitive` returns are not lost.
 * Objects and arrays are labelled by their leaves (keys included). The instrumented operators and calls
 * union the labels of their inputs onto their outputs.
 *
 * Entering the sandbox: the seam hands every tool / LLM / cache / embedding result to `incoming`, which
 * labels its leaves. Leaving: `outgoing` describes the labelled leaves of each `api.*` input, sent with
 * the call and seen by `beforeToolCall`.
 *
 * Hardening: the intrinsics used here are captured before agent code runs; code generation from strings
 * (`eval`, `Function` and its async/generator siblings) and `Proxy` are disabled, and values reached
 * only through getters count as `unknown` (never public).
 */
/**
 * @typedef {import('@agent-tool-protocol/protocol').SandboxOp} SandboxOp
 * @typedef {import('@agent-tool-protocol/protocol').SandboxLabels} SandboxLabels
 * @typedef {import('@agent-tool-protocol/protocol').SandboxLabelLeaf} SandboxLabelLeaf
 * @typedef {import('@agent-tool-protocol/protocol').ProvenanceTracker} ProvenanceTracker
 * @typedef {import('@agent-tool-protocol/protocol').TrackedCall} TrackedCall
 * @typedef {Readonly<{ id: number, sources: readonly string[] }>} Label an interned set of sources
 */

/**
 * @param {unknown} install the bootstrap's provenance seam
 */
// biome-ignore lint/correctness/noUnusedVariables: used as the script's completion value (last line)
function atpProvenancePrelude(install) {
  'use strict';
  const g = globalThis;
  const MapCtor = Map;
  const SetCtor = Set;
  const bind = Function.prototype.bind;
  const ReflectApply = Reflect.apply;
  const ReflectConstruct = Reflect.construct;
  const ObjectKeys = Object.keys;
  const ObjectFreeze = Object.freeze;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectSetPrototypeOf = Object.setPrototypeOf;
  const ArrayPrototype = Array.prototype;
  const GetOwnDescriptor = Object.getOwnPropertyDescriptor;
  const HasOwn = Object.hasOwn;
  const ObjectPrototype = Object.prototype;
  const ArrayIsArray = Array.isArray;
  const StringCtor = String;
  const NumberIsNaN = Number.isNaN;
  const StringValueOf = String.prototype.valueOf;
  const StringPrototype = String.prototype;
  const TypeErrorCtor = TypeError;
  const EvalErrorCtor = EvalError;
  const SortStrings = Array.prototype.sort;
  const Join = Array.prototype.join;
  const JSONstringify = JSON.stringify;
  const ArraySlice = Array.prototype.slice;
  const StringIterator = String.prototype[Symbol.iterator];
  const StringIteratorNext = Object.getPrototypeOf(''[Symbol.iterator]()).next;
  // The tracker's own collections carry their methods as own, read-only properties (taken before agent
  // code runs), so patching Map/Set/WeakMap prototypes cannot reach them and the calls stay plain
  // method calls the JIT can inline (no bound-function or Reflect.apply hop on every operation).
  /**
   * @template {object} T
   * @param {T} target
   * @param {[string, Function][]} methods
   * @returns {T}
   */
  function ownMethods(target, methods) {
    for (let i = 0; i < methods.length; i++) {
      const method = /** @type {[string, Function]} */ (methods[i]);
      // A null-prototype descriptor: no `get`/`set` inherited from a patched Object.prototype.
      ObjectDefineProperty(
        target,
        method[0],
        /** @type {PropertyDescriptor} */ ({ __proto__: null, value: method[1] }),
      );
    }
    return target;
  }
  // The tracker's own lists have no prototype: storing past their end would otherwise call a setter
  // agent code put on Array.prototype (`Object.defineProperty(Array.prototype, '0', { set() {} })`),
  // which takes the element instead of the list (an empty list of sources or leaves reads as
  // "unlabelled").
  /**
   * @template T
   * @param {T[]} items an array literal
   * @returns {T[]}
   */
  const bare = (items) => ObjectSetPrototypeOf(items, null);
  /** @type {[string, Function][]} */
  const MAP_METHODS = [
    ['get', MapCtor.prototype.get],
    ['set', MapCtor.prototype.set],
  ];
  /** @type {[string, Function][]} */
  const SET_METHODS = [
    ['has', SetCtor.prototype.has],
    ['add', SetCtor.prototype.add],
    ['clear', SetCtor.prototype.clear],
  ];
  /** @returns {Map<any, any>} */
  const newMap = () => ownMethods(new MapCtor(), MAP_METHODS);
  /** @returns {Set<any>} */
  const newSet = () => ownMethods(new SetCtor(), SET_METHODS);
  // One entry per labelled primitive: its strong and weak labels and their union, so that reading a
  // value's label is one lookup. Entries are plain objects whose fields all exist from creation, so
  // setters agent code may define on Object.prototype are never reached.
  /** @typedef {{ strong: Label | undefined, weak: Label | undefined, any: Label }} Entry */
  /** @type {Map<unknown, Entry>} */
  const labels = newMap();
  /** @param {unknown} v */
  const strongGet = (v) => {
    const entry = labels.get(v);
    return entry === undefined ? undefined : entry.strong;
  };
  /**
   * @param {unknown} v a non-empty string, number, bigint or symbol
   * @param {Label} label
   */
  function putStrong(v, label) {
    const entry = labels.get(v);
    if (entry === undefined) {
      spend(v);
      labels.set(v, { strong: label, weak: undefined, any: label });
    } else if (entry.strong !== label) {
      entry.strong = union(entry.strong, label);
      entry.any = /** @type {Label} */ (union(entry.any, label));
    }
  }
  /**
   * @param {unknown} v a non-empty string or a number
   * @param {Label} label
   */
  function putWeak(v, label) {
    const entry = labels.get(v);
    if (entry === undefined) {
      spend(v);
      labels.set(v, { strong: undefined, weak: label, any: label });
    } else if (entry.weak !== label) {
      entry.weak = union(entry.weak, label);
      entry.any = /** @type {Label} */ (union(entry.any, label));
    }
  }
  /** @type {Map<string, Label>} */
  const interned = newMap();
  /** @type {Map<number, Label>} */
  const unions = newMap();
  /** @type {WeakMap<object, Label>} */
  const objectLabels = ownMethods(new WeakMap(), [
    ['get', WeakMap.prototype.get],
    ['set', WeakMap.prototype.set],
  ]);
  /** @param {object} o */
  const objectLabelGet = (o) => objectLabels.get(o);
  // Functions are labelled only when built from labelled data (`bind` over a secret): until one is,
  // the callee of every call needs no lookup.
  let functionsLabelled = false;
  /** @param {Function} f */
  const functionLabel = (f) => (functionsLabelled ? objectLabels.get(f) : undefined);
  const SymbolIterator = Symbol.iterator;
  const GeneratorPrototype = ObjectGetPrototypeOf(function* () {}).prototype;
  const AsyncGeneratorPrototype = ObjectGetPrototypeOf(async function* () {}).prototype;
  const MAX_ELEMENTS = 1000000;
  const SetHas = SetCtor.prototype.has;
  const SetAdd = SetCtor.prototype.add;
  // The object walks below never run agent code, so one set serves them all (a nested walk, which
  // does not happen today, would get a fresh one).
  const sharedSeen = newSet();
  let sharedSeenBusy = false;
  /** @returns {Set<object>} */
  function acquireSeen() {
    if (sharedSeenBusy) return newSet();
    sharedSeenBusy = true;
    return sharedSeen;
  }
  /** @param {Set<object>} seen */
  function releaseSeen(seen) {
    if (seen !== sharedSeen) return;
    sharedSeen.clear();
    sharedSeenBusy = false;
  }
  /** @param {Set<unknown>} set */
  const hasIn = (set) => ReflectApply(bind, SetHas, [set]);

  // Past this many characters of labelled keys, tracking saturates: every value then carries the
  // union of all labels seen (fail-safe: more blocks, never fewer), so memory stays bounded.
  const BUDGET_CHARS = 4194304;
  const WALK_LIMIT = 200000;
  let usedChars = 0;
  /** @type {Label | undefined} set once tracking saturates: the label of every value from then on */
  let saturated;
  /** @type {Label | undefined} the union of every label seen (undefined while nothing is labelled) */
  let everything;
  let nextLabelId = 0;

  /**
   * @param {string[]} sources
   * @returns {Label}
   */
  function intern(sources) {
    ReflectApply(SortStrings, sources, []);
    const key = ReflectApply(Join, sources, ['\u0000']);
    let label = interned.get(key);
    if (label === undefined) {
      // Past 2^21 distinct labels the union cache key would stop being exact: refuse.
      if (nextLabelId >= 2097151) throw new TypeErrorCtor('too many distinct provenance labels');
      label = ObjectFreeze({ id: ++nextLabelId, sources: ObjectFreeze(sources) });
      interned.set(key, label);
    }
    return label;
  }
  /**
   * @param {Label | undefined} a
   * @param {Label | undefined} b
   * @returns {Label | undefined}
   */
  function union(a, b) {
    if (a === undefined) return b;
    if (b === undefined || a === b) return a;
    const key = a.id < b.id ? a.id * 4294967296 + b.id : b.id * 4294967296 + a.id;
    let label = unions.get(key);
    if (label !== undefined) return label;
    const seen = new SetCtor();
    /** @type {string[]} */
    const sources = bare([]);
    // Indexed loops, not for-of: agent code may have replaced the array iterator by now.
    for (let i = 0; i < a.sources.length; i++) {
      const source = /** @type {string} */ (a.sources[i]);
      ReflectApply(SetAdd, seen, [source]);
      sources[sources.length] = source;
    }
    for (let i = 0; i < b.sources.length; i++) {
      const source = /** @type {string} */ (b.sources[i]);
      if (!ReflectApply(SetHas, seen, [source])) sources[sources.length] = source;
    }
    label = intern(sources);
    unions.set(key, label);
    return label;
  }
  const UNKNOWN = intern(['unknown']);
  const LLM = intern(['llm']);

  /** @type {Label | undefined} the last label remembered: `everything` only grows, so it still holds it */
  let remembered;
  /** @param {Label} label */
  function remember(label) {
    if (label === remembered) return;
    everything = union(everything, label);
    remembered = label;
  }
  /**
   * @param {unknown} v
   * @returns {Label | undefined}
   */
  function labelOfPrim(v) {
    if (saturated !== undefined) return saturated;
    const t = typeof v;
    if (t === 'string' || t === 'number' || t === 'bigint' || t === 'symbol') {
      const entry = labels.get(v);
      return entry === undefined ? undefined : entry.any;
    }
    return undefined;
  }
  /**
   * @param {unknown} v
   * @returns {Label | undefined}
   */
  function strongLabel(v) {
    if (saturated !== undefined) return saturated;
    const t = typeof v;
    return t === 'string' || t === 'number' || t === 'bigint' || t === 'symbol' ? strongGet(v) : undefined;
  }
  /** @param {unknown} v */
  function spend(v) {
    usedChars += typeof v === 'string' ? v.length + 8 : 8;
    if (usedChars > BUDGET_CHARS) saturated = union(everything, UNKNOWN);
  }
  /**
   * @param {unknown} v
   * @param {Label | undefined} label
   */
  function mark(v, label) {
    if (label === undefined || saturated !== undefined) return;
    const t = typeof v;
    if ((t === 'string' && v !== '') || t === 'number' || t === 'bigint' || t === 'symbol') {
      // putStrong and remember, inlined: this runs for every labelled value, mostly before the JIT
      // has warmed up (every execution starts in a fresh context).
      const entry = labels.get(v);
      if (entry === undefined) {
        spend(v);
        labels.set(v, { strong: label, weak: undefined, any: label });
      } else if (entry.strong !== label) {
        entry.strong = union(entry.strong, label);
        entry.any = /** @type {Label} */ (union(entry.any, label));
      }
      if (label !== remembered) remember(label);
    }
  }
  // Raw numbers and keys of results are weak: they label values derived from them, but a weakly
  // labelled index or parameter name does not taint what it selects or names.
  /**
   * @param {unknown} v
   * @param {Label} label
   */
  function markWeak(v, label) {
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') {
      if (saturated !== undefined) return;
      putWeak(v, label);
      remember(label);
    }
  }
  /**
   * @param {unknown} v
   * @param {Label} label
   */
  function markRaw(v, label) {
    if (typeof v === 'number') markWeak(v, label);
    else mark(v, label);
  }

  /** @param {object} o */
  function isPlain(o) {
    if (ArrayIsArray(o)) return true;
    const proto = ObjectGetPrototypeOf(o);
    return proto === ObjectPrototype || proto === null;
  }
  // Objects built from labelled data by native code (a Set of a secret's characters, a Date from a
  // labelled number, an Error with a labelled message) carry that label as a whole.
  /**
   * @param {object} o
   * @returns {Label | undefined}
   */
  function objectLabel(o) {
    return isStringObject(o) ? labelOfPrim(ReflectApply(StringValueOf, o, [])) : objectLabelGet(o);
  }
  /**
   * @param {unknown} o
   * @param {Label | undefined} label
   */
  function tagObject(o, label) {
    if (label === undefined || o === null || (typeof o !== 'object' && typeof o !== 'function')) return;
    if (typeof o === 'function') functionsLabelled = true;
    const old = objectLabelGet(o);
    if (old !== label) objectLabels.set(o, /** @type {Label} */ (union(old, label)));
    remember(label);
  }
  /**
   * @param {unknown} o
   * @returns {o is String}
   */
  function isStringObject(o) {
    if (o === null || typeof o !== 'object' || ObjectGetPrototypeOf(o) !== StringPrototype) return false;
    try {
      ReflectApply(StringValueOf, o, []);
      return true;
    } catch (_) {
      return false;
    }
  }

  // Union of the labels of every leaf (and key) of a value. Accessors count as unknown.
  /**
   * @param {unknown} value
   * @returns {Label | undefined}
   */
  function labelOfDeep(value) {
    if (saturated !== undefined) return saturated;
    if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
      return labelOfPrim(value);
    if (everything === undefined) return undefined;
    if (isStringObject(value)) return labelOfPrim(ReflectApply(StringValueOf, value, []));
    let label;
    let budget = WALK_LIMIT;
    const seen = acquireSeen();
    try {
      const stack = bare([value]);
      while (stack.length > 0) {
        const node = /** @type {object} */ (stack[stack.length - 1]);
        stack.length = stack.length - 1;
        if (seen.has(node)) continue;
        seen.add(node);
        label = union(label, objectLabelGet(node));
        let keys;
        try {
          keys = ObjectKeys(node);
        } catch (_) {
          return union(label, UNKNOWN);
        }
        for (let i = 0; i < keys.length; i++) {
          if (--budget < 0) return union(label, UNKNOWN);
          const key = /** @type {string} */ (keys[i]);
          if (!ArrayIsArray(node)) label = union(label, strongGet(key));
          const d = GetOwnDescriptor(node, key);
          if (d === undefined) continue;
          if (!HasOwn(d, 'value')) {
            label = union(label, UNKNOWN);
            continue;
          }
          const v = d.value;
          if (v !== null && typeof v === 'object') stack[stack.length] = v;
          else label = union(label, labelOfPrim(v));
        }
      }
      return label;
    } finally {
      releaseSeen(seen);
    }
  }
  /**
   * @param {unknown} v
   * @returns {Label | undefined}
   */
  function labelOfAny(v) {
    if (v !== null && typeof v === 'object') return labelOfDeep(v);
    // labelOfPrim, inlined (the hot path of every operator)
    if (saturated !== undefined) return saturated;
    const t = typeof v;
    if (t === 'string' || t === 'number' || t === 'bigint' || t === 'symbol') {
      const entry = labels.get(v);
      return entry === undefined ? undefined : entry.any;
    }
    return undefined;
  }
  // Labels every primitive leaf and key of a (fresh, plain) value.
  /**
   * @param {unknown} value
   * @param {Label | undefined} label
   * @param {boolean} raw
   */
  function labelLeaves(value, label, raw) {
    if (label === undefined) return;
    if (value === null || typeof value !== 'object') {
      if (raw) markRaw(value, label);
      else mark(value, label);
      return;
    }
    let budget = WALK_LIMIT;
    const seen = acquireSeen();
    try {
      const stack = bare([value]);
      while (stack.length > 0) {
        const node = /** @type {object} */ (stack[stack.length - 1]);
        stack.length = stack.length - 1;
        if (seen.has(node) || !isPlain(node)) continue;
        seen.add(node);
        const keys = ObjectKeys(node);
        const array = ArrayIsArray(node);
        for (let i = 0; i < keys.length; i++) {
          if (--budget < 0) {
            saturated = union(union(everything, label), UNKNOWN);
            return;
          }
          const key = /** @type {string} */ (keys[i]);
          if (!array) {
            if (raw) markWeak(key, label);
            else mark(key, label);
          }
          const d = GetOwnDescriptor(node, key);
          if (d === undefined || !HasOwn(d, 'value')) continue;
          const v = d.value;
          if (v !== null && typeof v === 'object') stack[stack.length] = v;
          else if (raw) markRaw(v, label);
          else mark(v, label);
        }
      }
    } finally {
      releaseSeen(seen);
    }
  }
  /**
   * @param {ArrayLike<unknown>} args
   * @returns {Label | undefined}
   */
  function shallowArgs(args) {
    let label;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a !== null && typeof a === 'object') {
        label = union(label, objectLabel(a));
        // Argument lists (Reflect.apply/construct, Function#apply): their items count as arguments.
        if (ArrayIsArray(a) && a.length <= 65536)
          for (let j = 0; j < a.length; j++) {
            const item = a[j];
            if (item === null || typeof item !== 'object') label = union(label, labelOfPrim(item));
          }
      } else if (typeof a === 'function') label = union(label, functionLabel(a));
      else label = union(label, labelOfPrim(a));
    }
    return label;
  }
  /**
   * @param {ArrayLike<unknown>} args
   * @returns {Label | undefined}
   */
  function deepArgs(args) {
    let label;
    for (let i = 0; i < args.length; i++) label = union(label, labelOfAny(args[i]));
    return label;
  }
  // Callbacks handed to an operation over labelled primitives (replace(/./g, cb), Array.from(s, cb),
  // Array.prototype.map.call(s, cb)) see labelled arguments. Only for methods that call back with
  // values derived from their inputs: wrapping every function argument would change identities.
  const CALLBACK_METHODS = new SetCtor([
    'replace',
    'replaceAll',
    'from',
    'map',
    'forEach',
    'filter',
    'reduce',
    'reduceRight',
    'some',
    'every',
    'find',
    'findIndex',
    'findLast',
    'findLastIndex',
    'flatMap',
    'sort',
    'toSorted',
    'call',
    'apply',
  ]);
  const isCallbackMethod = hasIn(CALLBACK_METHODS);
  /**
   * @param {Function} cb
   * @param {Label} label
   * @returns {Function}
   */
  function wrapCallback(cb, label) {
    /** @type {(this: unknown, ...args: unknown[]) => unknown} */
    const wrapped = function (...args) {
      // Strings only: the numbers handed to callbacks are positions (indices, offsets), and a labelled
      // index would taint every element read at that index anywhere.
      for (let j = 0; j < args.length; j++) if (typeof args[j] === 'string') mark(args[j], label);
      return new.target === undefined ? ReflectApply(cb, this, args) : ReflectConstruct(cb, args, new.target);
    };
    return wrapped;
  }
  /**
   * @param {PropertyKey} key
   * @param {unknown[]} args
   * @param {Label} label
   */
  function wrapCallbacks(key, args, label) {
    if (!isCallbackMethod(key)) return;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg === 'function') args[i] = wrapCallback(arg, label);
      else if (key === 'apply' && ArrayIsArray(arg)) {
        for (let j = 0; j < arg.length; j++)
          if (typeof arg[j] === 'function') arg[j] = wrapCallback(arg[j], label);
      }
    }
  }
  // The label of a call's result from its receiver and arguments.
  /**
   * @param {unknown} result
   * @param {unknown} receiver
   * @param {ArrayLike<unknown>} args
   * @param {Label | undefined} pre the labels of the callee, the receiver and the primitive arguments
   */
  function labelResult(result, receiver, args, pre) {
    const t = typeof result;
    if (t === 'string') {
      // `pre` already holds the labels of a primitive receiver and primitive arguments: only objects
      // (whose leaves may end up in the string) need the deep walk.
      let deep = receiver !== null && typeof receiver === 'object' ? labelOfDeep(receiver) : undefined;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a !== null && typeof a === 'object') deep = union(deep, labelOfDeep(a));
      }
      mark(result, union(pre, deep));
    } else if (t === 'number' || t === 'bigint' || t === 'symbol') {
      mark(result, pre);
    } else if (pre !== undefined && result !== null && t === 'object') {
      labelLeaves(result, pre, false);
      tagObject(result, pre);
    } else if (pre !== undefined && t === 'function') {
      tagObject(result, pre);
    }
    return result;
  }
  /**
   * @param {unknown} obj
   * @returns {Label | undefined}
   */
  function receiverLabel(obj) {
    if (obj !== null && typeof obj === 'object') {
      // Only a String object can be labelled by its value (objectLabel); anything else by identity.
      return ObjectGetPrototypeOf(obj) === StringPrototype ? objectLabel(obj) : objectLabels.get(obj);
    }
    if (typeof obj === 'function') return functionLabel(obj);
    return labelOfPrim(obj);
  }
  /** @param {unknown} value */
  function describe(value) {
    return typeof value === 'string' ? JSONstringify(value) : StringCtor(value);
  }

  // ---- the helpers the instrumented code calls --------------------------------------------------
  // An operator converts an object operand with its Symbol.toPrimitive, valueOf or toString, which
  // agent code may define to return labelled data (`{ valueOf: () => secret.charCodeAt(0) }`); the
  // object's own leaves do not show that. So the helpers convert object operands themselves, in the
  // engine's order and with its hint, and add the label of what each conversion returned.
  const SymbolToPrimitive = Symbol.toPrimitive;
  /**
   * @param {unknown} v
   * @returns {v is object}
   */
  const isObjectLike = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
  /** @param {unknown} v */
  const isPrimitive = (v) => v === null || (typeof v !== 'object' && typeof v !== 'function');
  /**
   * The ToPrimitive of the language.
   * @param {any} o
   * @param {'default' | 'number' | 'string'} hint
   */
  function toPrimitive(o, hint) {
    const exotic = o[SymbolToPrimitive];
    if (exotic !== undefined && exotic !== null) {
      if (typeof exotic !== 'function') throw new TypeErrorCtor('Cannot convert object to primitive value');
      const r = ReflectApply(exotic, o, [hint]);
      if (isPrimitive(r)) return r;
      throw new TypeErrorCtor('Cannot convert object to primitive value');
    }
    const first = hint === 'string' ? 'toString' : 'valueOf';
    const second = hint === 'string' ? 'valueOf' : 'toString';
    let method = o[first];
    if (typeof method === 'function') {
      const r = ReflectApply(method, o, []);
      if (isPrimitive(r)) return r;
    }
    method = o[second];
    if (typeof method === 'function') {
      const r = ReflectApply(method, o, []);
      if (isPrimitive(r)) return r;
    }
    throw new TypeErrorCtor('Cannot convert object to primitive value');
  }
  /**
   * @param {string} o
   * @param {any} a
   * @param {any} b
   */
  function compute(o, a, b) {
    switch (o) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '%':
        return a % b;
      case '**':
        return a ** b;
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '<<':
        return a << b;
      case '>>':
        return a >> b;
      case '>>>':
        return a >>> b;
      default:
        throw new TypeErrorCtor(`unsupported operator ${o}`);
    }
  }
  /**
   * The slow path of every binary operator helper: an operand is an object. Modes as `binaryTemp`.
   * @param {string} o
   * @param {unknown} a
   * @param {Label | undefined} la
   * @param {unknown} b
   * @param {Label | undefined} lb
   * @param {number} mode
   */
  function objectOperator(o, a, la, b, lb, mode) {
    const hint = o === '+' ? 'default' : 'number';
    const pa = isObjectLike(a) ? toPrimitive(a, hint) : a;
    const pb = isObjectLike(b) ? toPrimitive(b, hint) : b;
    const r = compute(o, pa, pb);
    if ((mode & 8) !== 0) return r;
    const left = union((mode & 1) !== 0 ? la : labelOfAny(a), pa === a ? undefined : labelOfAny(pa));
    const right = union((mode & 2) !== 0 ? lb : labelOfAny(b), pb === b ? undefined : labelOfAny(pb));
    const label = union(left, right);
    if ((mode & 4) !== 0) temp = label;
    else mark(r, label);
    return r;
  }
  /**
   * @param {any} a
   * @param {any} b
   */
  function add(a, b) {
    if (isObjectLike(a) || isObjectLike(b)) return objectOperator('+', a, undefined, b, undefined, 0);
    const r = a + b;
    if (everything !== undefined || saturated !== undefined) mark(r, union(labelOfAny(a), labelOfAny(b)));
    return r;
  }
  /**
   * @param {string} o
   * @param {any} a
   * @param {any} b
   */
  function arith(o, a, b) {
    if (isObjectLike(a) || isObjectLike(b)) return objectOperator(o, a, undefined, b, undefined, 0);
    let r;
    switch (o) {
      case '+':
        return add(a, b);
      case '-':
        r = a - b;
        break;
      case '*':
        r = a * b;
        break;
      case '/':
        r = a / b;
        break;
      case '%':
        r = a % b;
        break;
      case '**':
        r = a ** b;
        break;
      case '&':
        r = a & b;
        break;
      case '|':
        r = a | b;
        break;
      case '^':
        r = a ^ b;
        break;
      case '<<':
        r = a << b;
        break;
      case '>>':
        r = a >> b;
        break;
      case '>>>':
        r = a >>> b;
        break;
      default:
        throw new TypeErrorCtor(`unsupported operator ${o}`);
    }
    if (everything !== undefined || saturated !== undefined) mark(r, union(labelOfAny(a), labelOfAny(b)));
    return r;
  }
  // ---- string accumulators (`s += line` in a loop) -----------------------------------------------
  // Marking every intermediate text of `s += …` put each one in the label map: hashing the whole text
  // at every step made building a report quadratic, and the map kept every step alive. For a local the
  // transform proved is only ever assigned and appended to, the latest text and its label wait in a
  // slot (a hidden variable next to it) and enter the map only when the variable is read for anything
  // else. An intermediate text nobody read is never looked up, so it never needs to be in the map.
  /**
   * @typedef {{ value: unknown, label: Label | undefined, pending: boolean, holds: number }} Slot
   */
  /**
   * @param {Slot | undefined} existing
   * @returns {Slot}
   */
  function slot(existing) {
    return existing !== undefined
      ? existing
      : { value: undefined, label: undefined, pending: false, holds: 0 };
  }
  /**
   * The slot holds `v`, pending. SameValueZero, the label map's equality: a NaN must match itself
   * (with `===` it was never flushed), and +0/-0 match as they do with `===`: the map keys them as one
   * value, so telling them apart could only drop the slot's label.
   * @param {Slot} s
   * @param {unknown} v
   */
  const pendingIs = (s, v) => s.pending && (v === s.value || (NumberIsNaN(v) && NumberIsNaN(s.value)));
  /**
   * The variable is read for something else than an append: its pending text must be findable.
   * @param {unknown} v
   * @param {Slot | undefined} s
   */
  function flushed(v, s) {
    if (s !== undefined && pendingIs(s, v)) {
      s.pending = false;
      mark(v, s.label);
    }
    return v;
  }
  /**
   * `s` read as the left side of an append. While the right side is evaluated, other code (a call, a
   * getter, another async task) may append to the same variable: the hold stops that append from
   * dropping this text, which is still needed.
   * @param {unknown} v
   * @param {Slot | undefined} s
   */
  function hold(v, s) {
    if (s !== undefined && pendingIs(s, v)) s.holds++;
    return v;
  }
  /**
   * @param {any} a
   * @param {any} b
   * @param {Slot | undefined} s
   * @param {number} [mode] 2 = b is a temporary whose label is in `temp`
   */
  function append(a, b, s, mode) {
    const tempLabel = temp; // first, as in every consumer of a temporary
    if (isObjectLike(a) || isObjectLike(b)) {
      // Converting runs agent code: the slot's text goes into the map first, and this append is an add.
      if (s?.pending) {
        mark(s.value, s.label);
        s.pending = false;
      }
      return objectOperator('+', a, undefined, b, tempLabel, mode === 2 ? 2 : 0);
    }
    if (s === undefined || (everything === undefined && saturated === undefined)) {
      return mode === 2 ? binaryTemp(a + b, a, undefined, b, tempLabel, 2) : add(a, b);
    }
    let la;
    if (pendingIs(s, a)) {
      s.holds--;
      la = s.label;
    } else la = labelOfAny(a);
    const lb = mode === 2 ? tempLabel : labelOfAny(b);
    const r = a + b; // may run agent code (toString), which may append to this variable as well
    const label = union(la, lb);
    // Only a text consumed by this append, and held by nobody else, may be dropped.
    if (s.pending && (s.holds > 0 || !pendingIs(s, a))) mark(s.value, s.label);
    if (typeof r !== 'string') {
      s.pending = false;
      s.holds = 0;
      mark(r, label);
      return r;
    }
    s.value = r;
    s.label = label;
    s.pending = label !== undefined && saturated === undefined;
    s.holds = 0;
    return r;
  }

  // The same slot serves a variable assigned arithmetic (`h = (h * 33 + c) >>> 0`): the result, a
  // temporary whose label is in `temp`, waits in the slot. Any other assignment ends what the slot held.
  /**
   * @param {Slot} s
   */
  function release(s) {
    // An append still in flight holds the old value: it must stay findable.
    if (s.pending && s.holds > 0) mark(s.value, s.label);
    s.pending = false;
  }
  /**
   * `x = <arithmetic>`: `v` is a temporary.
   * @param {unknown} v
   * @param {Slot | undefined} s
   */
  function store(v, s) {
    const label = temp;
    if (s === undefined || s.holds > 0 || saturated !== undefined) {
      if (s !== undefined) release(s);
      mark(v, label);
      return v;
    }
    s.value = v;
    s.label = label;
    s.pending = label !== undefined;
    return v;
  }
  /**
   * `x = <anything else>`: `v` is already findable in the map (it is no temporary).
   * @param {unknown} v
   * @param {Slot | undefined} s
   */
  function put(v, s) {
    if (s !== undefined) release(s);
    return v;
  }
  /**
   * A slotted variable read as an operand: a temporary whose label is the slot's (while it holds this
   * value) and whatever the map holds for the value, i.e. exactly what flushing it and looking it up
   * would give, without putting it in the map.
   * @param {unknown} v
   * @param {Slot | undefined} s
   */
  function read(v, s) {
    const found = labelOfAny(v);
    temp = s !== undefined && pendingIs(s, v) ? union(s.label, found) : found;
    return v;
  }

  // One helper per operator (the transform's common case), so the hot path has no operator dispatch.
  /**
   * @param {unknown} r
   * @param {unknown} a
   * @param {unknown} b
   */
  function binary(r, a, b) {
    if (everything !== undefined || saturated !== undefined) mark(r, union(labelOfAny(a), labelOfAny(b)));
    return r;
  }
  // ---- temporaries: a result only its consuming operator sees ----------------------------------
  // In `(h * 33 + c) >>> 0` the products and sums inside are seen by nothing but the next operator,
  // yet each went into the label map. The transform marks such operands: the operator that produces
  // one leaves its label in `temp` instead of the map (mode 4), and its consumer takes it from there
  // before running anything else: a right operand's at the consumer's first statement (mode 2), a left
  // operand's through `tk()`, evaluated right after it as the consumer's next argument (mode 1), since
  // evaluating the right operand may run code that produces temporaries of its own. Operands of a
  // comparison (mode 8) need no label at all: a comparison's boolean carries none.
  /** @type {Label | undefined} the label of the temporary produced last */
  let temp;
  const takeTemp = () => temp;
  /**
   * @param {unknown} r
   * @param {unknown} a
   * @param {Label | undefined} la the left operand's label, when mode has 1
   * @param {unknown} b
   * @param {Label | undefined} lb the right operand's label, when mode has 2
   * @param {number} mode 1 = la given, 2 = lb given, 4 = r is a temporary, 8 = r's label is unused
   */
  function binaryTemp(r, a, la, b, lb, mode) {
    if ((mode & 8) !== 0) return r;
    // `la`/`lb` are labels only when their mode bit says so (the transform passes 0 otherwise).
    const tracking = everything !== undefined || saturated !== undefined;
    const left = (mode & 1) !== 0 ? la : tracking ? labelOfAny(a) : undefined;
    const right = (mode & 2) !== 0 ? lb : tracking ? labelOfAny(b) : undefined;
    const label =
      left === undefined ? right : right === undefined || left === right ? left : union(left, right);
    if ((mode & 4) !== 0) temp = label;
    else mark(r, label);
    return r;
  }
  /** @typedef {(a: any, la: Label | undefined, b: any, mode: number) => unknown} TempOperator */
  /** @type {Record<string, TempOperator>} */
  const TEMP_OPERATORS = {
    addT: (a, la, b, mode) => {
      const lb = temp; // first: converting an object operand runs agent code, which may produce temporaries
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('+', a, la, b, lb, mode);
      return binaryTemp(a + b, a, la, b, lb, mode);
    },
    subT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('-', a, la, b, lb, mode);
      return binaryTemp(a - b, a, la, b, lb, mode);
    },
    mulT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('*', a, la, b, lb, mode);
      return binaryTemp(a * b, a, la, b, lb, mode);
    },
    divT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('/', a, la, b, lb, mode);
      return binaryTemp(a / b, a, la, b, lb, mode);
    },
    modT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('%', a, la, b, lb, mode);
      return binaryTemp(a % b, a, la, b, lb, mode);
    },
    powT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('**', a, la, b, lb, mode);
      return binaryTemp(a ** b, a, la, b, lb, mode);
    },
    andT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('&', a, la, b, lb, mode);
      return binaryTemp(a & b, a, la, b, lb, mode);
    },
    orT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('|', a, la, b, lb, mode);
      return binaryTemp(a | b, a, la, b, lb, mode);
    },
    xorT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('^', a, la, b, lb, mode);
      return binaryTemp(a ^ b, a, la, b, lb, mode);
    },
    shlT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('<<', a, la, b, lb, mode);
      return binaryTemp(a << b, a, la, b, lb, mode);
    },
    shrT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('>>', a, la, b, lb, mode);
      return binaryTemp(a >> b, a, la, b, lb, mode);
    },
    ushrT: (a, la, b, mode) => {
      const lb = temp;
      if (isObjectLike(a) || isObjectLike(b)) return objectOperator('>>>', a, la, b, lb, mode);
      return binaryTemp(a >>> b, a, la, b, lb, mode);
    },
  };

  /** @type {Record<string, (a: any, b: any) => unknown>} */
  const OPERATORS = {
    sub: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('-', a, undefined, b, undefined, 0)
        : binary(a - b, a, b),
    mul: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('*', a, undefined, b, undefined, 0)
        : binary(a * b, a, b),
    div: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('/', a, undefined, b, undefined, 0)
        : binary(a / b, a, b),
    mod: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('%', a, undefined, b, undefined, 0)
        : binary(a % b, a, b),
    pow: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('**', a, undefined, b, undefined, 0)
        : binary(a ** b, a, b),
    and: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('&', a, undefined, b, undefined, 0)
        : binary(a & b, a, b),
    or: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('|', a, undefined, b, undefined, 0)
        : binary(a | b, a, b),
    xor: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('^', a, undefined, b, undefined, 0)
        : binary(a ^ b, a, b),
    shl: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('<<', a, undefined, b, undefined, 0)
        : binary(a << b, a, b),
    shr: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('>>', a, undefined, b, undefined, 0)
        : binary(a >> b, a, b),
    ushr: (a, b) =>
      isObjectLike(a) || isObjectLike(b)
        ? objectOperator('>>>', a, undefined, b, undefined, 0)
        : binary(a >>> b, a, b),
  };
  /**
   * @param {string} o
   * @param {any} a
   */
  function unary(o, a) {
    const p = isObjectLike(a) ? toPrimitive(a, 'number') : a;
    const r = o === '-' ? -p : o === '+' ? +p : ~p;
    if (everything !== undefined || saturated !== undefined)
      mark(r, p === a ? labelOfAny(a) : union(labelOfAny(a), labelOfAny(p)));
    return r;
  }
  /** @type {unknown} the old value, as a number or bigint, of the last `step` (for `post`) */
  let stepped;
  /**
   * @param {any} x
   * @param {number} d
   */
  function step(x, d) {
    const p = isObjectLike(x) ? toPrimitive(x, 'number') : x;
    stepped = typeof p === 'bigint' ? p : +p;
    const r = typeof p === 'bigint' ? p + (d > 0 ? 1n : -1n) : +p + d;
    if (everything !== undefined || saturated !== undefined)
      mark(r, p === x ? labelOfPrim(x) : union(labelOfAny(x), labelOfAny(p)));
    return r;
  }
  /**
   * The old value `x++` yields (a number or bigint the map may not know: `+'9798'`) takes the label of
   * the new value `r`, which `step` marked with the label of everything the conversion saw.
   * @param {unknown} before
   * @param {unknown} r
   */
  function oldValue(before, r) {
    if (everything !== undefined || saturated !== undefined) mark(before, labelOfPrim(r));
    return before;
  }
  // `x++`: the old value as a number; for an object, the one its `step` (the argument just before)
  // converted, rather than converting it a second time. `r` is the value `step` returned (the
  // assignment's value, whatever a setter did).
  /**
   * @param {any} old
   * @param {unknown} r
   */
  function post(old, r) {
    return oldValue(isObjectLike(old) ? stepped : typeof old === 'bigint' ? old : +old, r);
  }
  /**
   * @param {string} o
   * @param {any} obj
   * @param {PropertyKey} key
   * @param {unknown} rhs
   */
  function assignOp(o, obj, key, rhs) {
    const r = arith(o, obj[key], rhs);
    obj[key] = r;
    return r;
  }
  /**
   * @param {any} obj
   * @param {PropertyKey} key
   * @param {number} d
   * @param {number} prefix
   */
  function updateMember(obj, key, d, prefix) {
    const old = obj[key];
    const r = step(old, d);
    const before = stepped; // the setter below may run agent code that steps something else
    obj[key] = r;
    return prefix ? r : oldValue(before, r);
  }
  /**
   * @param {string[]} strings
   * @param {unknown[]} values
   */
  function template(strings, values) {
    let r = strings[0];
    let label;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const p = isObjectLike(v) ? toPrimitive(v, 'string') : v;
      if (typeof p === 'symbol') throw new TypeErrorCtor('Cannot convert a Symbol value to a string');
      r += StringCtor(p) + strings[i + 1];
      if (everything !== undefined || saturated !== undefined) {
        label = union(label, labelOfAny(v));
        if (p !== v) label = union(label, labelOfAny(p));
      }
    }
    mark(r, label);
    return r;
  }
  /**
   * @param {(string | undefined)[]} cooked
   * @param {string[]} raw
   */
  function templateObject(cooked, raw) {
    const strings = ReflectApply(ArraySlice, cooked, []);
    ObjectDefineProperty(strings, 'raw', { value: ObjectFreeze(ReflectApply(ArraySlice, raw, [])) });
    return ObjectFreeze(strings);
  }
  /**
   * @param {unknown} fn
   * @param {unknown} thisArg
   * @param {(string | undefined)[]} cooked
   * @param {string[]} raw
   * @param {unknown[]} values
   */
  function tagged(fn, thisArg, cooked, raw, values) {
    if (typeof fn !== 'function') throw new TypeErrorCtor(`${describe(fn)} is not a function`);
    /** @type {unknown[]} */
    const args = bare([templateObject(cooked, raw)]);
    for (let i = 0; i < values.length; i++) args[i + 1] = values[i];
    const r = ReflectApply(fn, thisArg, args);
    return labelResult(r, undefined, values, deepArgs(values));
  }
  /**
   * @param {unknown} fn
   * @param {(string | undefined)[]} cooked
   * @param {string[]} raw
   * @param {unknown[]} values
   */
  function tag(fn, cooked, raw, values) {
    return tagged(fn, undefined, cooked, raw, values);
  }
  /**
   * @param {any} obj
   * @param {PropertyKey} key
   * @param {(string | undefined)[]} cooked
   * @param {string[]} raw
   * @param {unknown[]} values
   */
  function tagMember(obj, key, cooked, raw, values) {
    return tagged(obj[key], obj, cooked, raw, values);
  }
  const SKIP_NUMBER = new SetCtor([
    'push',
    'unshift',
    'indexOf',
    'lastIndexOf',
    'findIndex',
    'findLastIndex',
  ]);
  const isSkipNumber = hasIn(SKIP_NUMBER);
  // flags: 1 = obj?.m(), 2 = obj.m?.(), 4 = inside an optional chain
  /**
   * @param {any} obj
   * @param {PropertyKey} key
   * @param {unknown[]} args
   * @param {number} flags
   */
  function call(obj, key, args, flags) {
    if ((flags & 5) !== 0 && (obj === null || obj === undefined)) return undefined;
    const fn = obj[key];
    if ((flags & 2) !== 0 && (fn === null || fn === undefined)) return undefined;
    if (typeof fn !== 'function') throw new TypeErrorCtor(`${describe(key)} is not a function`);
    if (everything === undefined && saturated === undefined) return ReflectApply(fn, obj, args);
    let pre = union(union(receiverLabel(obj), functionLabel(fn)), shallowArgs(args));
    if (pre !== undefined) wrapCallbacks(key, args, pre);
    if (key === 'then' || key === 'catch') wrapRejection(args, key === 'then' ? 1 : 0);
    const r = ReflectApply(fn, obj, args);
    if (
      typeof r === 'number' &&
      pre === undefined &&
      obj !== null &&
      typeof obj === 'object' &&
      !isSkipNumber(key)
    ) {
      pre = shallowArgs(args);
    }
    return labelResult(r, obj, args, pre);
  }
  // An error raised by native code may embed labelled values in its message ("Cannot read properties
  // of null (reading 'secret')"): a caught error's message and stack carry every label seen so far.
  /** @param {any} error */
  function caught(error) {
    if (everything === undefined && saturated === undefined) return error;
    const label = saturated !== undefined ? saturated : everything;
    if (error !== null && typeof error === 'object') {
      try {
        mark(error.message, label);
        mark(error.stack, label);
      } catch (_) {}
      tagObject(error, label);
    } else mark(error, label);
    return error;
  }
  /**
   * @param {unknown[]} args
   * @param {number} index
   */
  function wrapRejection(args, index) {
    const handler = args[index];
    if (typeof handler !== 'function') return;
    /**
     * @this {unknown}
     * @param {unknown} error
     */
    args[index] = function (error) {
      return ReflectApply(handler, this, [caught(error)]);
    };
  }
  /**
   * @param {unknown} fn
   * @param {unknown[]} args
   * @param {number} flags
   */
  function callFn(fn, args, flags) {
    if ((flags & 6) !== 0 && (fn === null || fn === undefined)) return undefined;
    if (typeof fn !== 'function') throw new TypeErrorCtor(`${describe(fn)} is not a function`);
    if (everything === undefined && saturated === undefined) return ReflectApply(fn, undefined, args);
    const pre = union(functionLabel(fn), shallowArgs(args));
    return labelResult(ReflectApply(fn, undefined, args), undefined, args, pre);
  }
  /**
   * @param {unknown} C
   * @param {unknown[]} args
   */
  function construct(C, args) {
    if (typeof C !== 'function') throw new TypeErrorCtor(`${describe(C)} is not a constructor`);
    const r = ReflectConstruct(C, args);
    if (everything !== undefined || saturated !== undefined) {
      const pre = shallowArgs(args);
      if (pre !== undefined) {
        labelLeaves(r, pre, false);
        tagObject(r, pre);
      }
    }
    return r;
  }
  /**
   * @param {any} obj
   * @param {PropertyKey} key
   * @param {number} flags 1 = obj?.[k], 4 = inside an optional chain, 8 = the key is an unlabelled
   *   number (the transform proved it: a loop counter), so only the receiver's label counts, 16 = the
   *   key is a temporary whose label is in `temp`
   */
  function get(obj, key, flags) {
    const keyLabel = temp; // first: reading obj[key] may run a getter that produces temporaries
    if ((flags & 5) !== 0 && (obj === null || obj === undefined)) return undefined;
    const r = obj[key];
    if (everything === undefined && saturated === undefined) return r;
    const t = typeof r;
    if (t === 'string' || t === 'number' || t === 'bigint') {
      const fromKey = (flags & 8) !== 0 ? undefined : (flags & 16) !== 0 ? keyLabel : strongLabel(key);
      mark(r, union(receiverLabel(obj), fromKey));
    }
    return r;
  }
  /** @param {unknown} value */
  function chars(value) {
    if (everything === undefined && saturated === undefined) return value;
    if (value !== null && typeof value === 'object' && !isStringObject(value)) return elements(value);
    const s =
      typeof value === 'string'
        ? value
        : isStringObject(value)
          ? ReflectApply(StringValueOf, value, [])
          : undefined;
    if (s === undefined) return value;
    const label = labelOfPrim(s);
    if (label === undefined) return value;
    const it = ReflectApply(StringIterator, s, []);
    for (;;) {
      const next = ReflectApply(StringIteratorNext, it, []);
      if (next.done) break;
      mark(next.value, label);
    }
    return value;
  }

  // A labelled iterable built by native code from labelled data (a Set of a secret's characters,
  // matchAll's iterator, Intl segments) is iterated into an array whose elements carry its label.
  // Generators are left alone (they may be infinite); so are unlabelled iterables.
  /** @param {any} value */
  function elements(value) {
    const label = objectLabelGet(value);
    if (label === undefined || ArrayIsArray(value) || isGenerator(value)) return value;
    const iteratorMethod = value[SymbolIterator];
    if (typeof iteratorMethod !== 'function') return value;
    const iterator = ReflectApply(iteratorMethod, value, []);
    const next = iterator.next;
    /** @type {unknown[]} */
    const items = bare([]);
    for (;;) {
      const step = ReflectApply(next, iterator, []);
      if (step.done) break;
      if (items.length >= MAX_ELEMENTS)
        throw new TypeErrorCtor(`a labelled iterable has more than ${MAX_ELEMENTS} elements`);
      items[items.length] = step.value;
    }
    ObjectSetPrototypeOf(items, ArrayPrototype);
    labelLeaves(items, label, false);
    return items;
  }
  /** @param {object} value */
  function isGenerator(value) {
    for (let proto = ObjectGetPrototypeOf(value); proto !== null; proto = ObjectGetPrototypeOf(proto)) {
      if (proto === GeneratorPrototype || proto === AsyncGeneratorPrototype) return true;
    }
    return false;
  }

  // Destructuring patterns with nested array patterns ({ a: [c] } = { a: secret }) reach strings inside
  // objects: the characters of every labelled string in the value are labelled first.
  /** @param {unknown} value */
  function deepChars(value) {
    if (everything === undefined && saturated === undefined) return value;
    if (value === null || typeof value !== 'object') return chars(value);
    let budget = WALK_LIMIT;
    const seen = acquireSeen();
    try {
      const stack = bare([value]);
      while (stack.length > 0) {
        const node = /** @type {object} */ (stack[stack.length - 1]);
        stack.length = stack.length - 1;
        if (seen.has(node) || !isPlain(node)) continue;
        seen.add(node);
        const keys = ObjectKeys(node);
        for (let i = 0; i < keys.length; i++) {
          if (--budget < 0) return value;
          const d = GetOwnDescriptor(node, /** @type {string} */ (keys[i]));
          if (d === undefined || !HasOwn(d, 'value')) continue;
          const v = d.value;
          if (typeof v === 'string') chars(v);
          else if (v !== null && typeof v === 'object') stack[stack.length] = v;
        }
      }
      return value;
    } finally {
      releaseSeen(seen);
    }
  }

  // ---- the bootstrap seam: labels in, labels out ---------------------------------------------------
  /**
   * @param {unknown} input
   * @returns {SandboxLabelLeaf[]}
   */
  function leafLabels(input) {
    /** @type {SandboxLabelLeaf[]} */
    const leaves = bare([]);
    /** @type {[node: any, path: (string | number)[]][]} */
    const stack = bare([[input, []]]);
    let budget = WALK_LIMIT;
    while (stack.length > 0) {
      const item = /** @type {[node: any, path: (string | number)[]]} */ (stack[stack.length - 1]);
      stack.length = stack.length - 1;
      const node = item[0];
      const path = item[1];
      if (node === null || typeof node !== 'object') {
        const label = labelOfPrim(node);
        if (label !== undefined) leaves[leaves.length] = [path, /** @type {string[]} */ (label.sources)];
        continue;
      }
      const keys = ObjectKeys(node);
      const array = ArrayIsArray(node);
      for (let i = 0; i < keys.length; i++) {
        if (--budget < 0) {
          leaves[leaves.length] = [[], ['unknown']];
          return leaves;
        }
        const key = /** @type {string} */ (keys[i]);
        /** @type {(string | number)[]} */
        const childPath = bare([]);
        for (let j = 0; j < path.length; j++) childPath[j] = /** @type {string | number} */ (path[j]);
        childPath[path.length] = array ? i : key;
        if (!array) {
          const keyLabel = strongLabel(key);
          if (keyLabel !== undefined)
            leaves[leaves.length] = [childPath, /** @type {string[]} */ (keyLabel.sources), 1];
        }
        stack[stack.length] = [node[key], childPath];
      }
    }
    return leaves;
  }
  // No prototype: an op without an entry finds nothing agent code put on Object.prototype.
  const RESULT_SOURCES = /** @type {Partial<Record<SandboxOp, Label>>} */ ({
    __proto__: null,
    'cache.get': intern(['cache']),
    'embedding.search': intern(['embedding']),
  });
  // A result (or the error) entering the sandbox: its leaves carry the source's label.
  /**
   * @param {any} value
   * @param {boolean} failed
   * @param {Label} label
   */
  function enter(value, failed, label) {
    if (failed) {
      if (value !== null && typeof value === 'object') {
        mark(value.message, label);
        labelLeaves(value.details, label, true);
      }
      return value;
    }
    labelResultJSON(value, label);
    return value;
  }
  // `labelLeaves(value, label, true)` for a result the bootstrap has just parsed from the host's JSON
  // (the seam hands it over before agent code sees it): data properties only, no cycles, so the walk
  // reads properties directly and walks arrays by index. It runs for every element of every result,
  // in a fresh isolate whose code is still cold, so it does as little per leaf as it can.
  /**
   * @param {unknown} value
   * @param {Label} label
   */
  function labelResultJSON(value, label) {
    if (saturated !== undefined) return;
    if (value === null || typeof value !== 'object') {
      markRaw(value, label);
      return;
    }
    // First, so that saturating part-way includes this result's label too.
    remember(label);
    let budget = WALK_LIMIT;
    /** @type {object[]} */
    const stack = bare([value]);
    let top = 1;
    while (top > 0) {
      const node = /** @type {any} */ (stack[--top]);
      if (!isPlain(node)) continue;
      const array = ArrayIsArray(node);
      const keys = array ? undefined : ObjectKeys(node);
      const n = keys === undefined ? node.length : keys.length;
      for (let i = 0; i < n; i++) {
        if (--budget < 0) {
          saturated = union(union(everything, label), UNKNOWN);
          return;
        }
        let v;
        if (keys === undefined) v = node[i];
        else {
          const key = /** @type {string} */ (keys[i]);
          if (key !== '') putWeak(key, label);
          v = node[key];
        }
        const t = typeof v;
        if (t === 'object') {
          if (v !== null) stack[top++] = v;
        } else if (t === 'number') putWeak(v, label);
        else if ((t === 'string' && v !== '') || t === 'bigint') putStrong(v, label);
        if (saturated !== undefined) return;
      }
    }
  }
  /**
   * @param {SandboxOp} op
   * @param {Record<string, unknown>} args
   * @returns {TrackedCall}
   */
  function outgoing(op, args) {
    if (op === 'api') {
      const path = typeof args.path === 'string' ? args.path : '';
      const label = intern([`tool:${path}`]);
      return {
        labels: { v: 1, leaves: args.input === undefined ? [] : leafLabels(args.input) },
        incoming: (value, failed) => enter(value, failed, label),
      };
    }
    if (op === 'llm.call' || op === 'llm.extract' || op === 'llm.classify') {
      const label = /** @type {Label} */ (union(LLM, labelOfDeep(args)));
      return { labels: undefined, incoming: (value, failed) => enter(value, failed, label) };
    }
    const label = RESULT_SOURCES[op];
    if (label !== undefined) {
      return { labels: undefined, incoming: (value, failed) => enter(value, failed, label) };
    }
    return { labels: undefined, incoming: undefined };
  }

  // ---- hardening -------------------------------------------------------------------------------------
  const noCodeGeneration = () => {
    throw new EvalErrorCtor('Code generation from strings is disabled (provenance mode "ast")');
  };
  const kinds = [() => {}, async () => {}, function* () {}, async function* () {}];
  for (let i = 0; i < kinds.length; i++) {
    ObjectDefineProperty(ObjectGetPrototypeOf(kinds[i]), 'constructor', {
      value: noCodeGeneration,
      writable: false,
      configurable: false,
    });
  }
  ObjectDefineProperty(g, 'eval', { value: noCodeGeneration, writable: false, configurable: false });
  ObjectDefineProperty(g, 'Function', { value: noCodeGeneration, writable: false, configurable: false });
  ObjectDefineProperty(g, 'Proxy', {
    value: () => {
      throw new TypeErrorCtor('Proxy is disabled (provenance mode "ast")');
    },
    writable: false,
    configurable: false,
  });

  if (typeof install !== 'function')
    throw new TypeErrorCtor('provenance tracking cannot be installed in this sandbox');
  install(ObjectFreeze({ outgoing: outgoing }));

  return ObjectFreeze({
    ...OPERATORS,
    ...TEMP_OPERATORS,
    tk: takeTemp,
    store: store,
    put: put,
    rd: read,
    slot: slot,
    hold: hold,
    append: append,
    flushed: flushed,
    add: add,
    un: unary,
    step: step,
    post: post,
    opM: assignOp,
    updM: updateMember,
    tpl: template,
    tag: tag,
    tagM: tagMember,
    call: call,
    caught: caught,
    deepChars: deepChars,
    fn: callFn,
    nw: construct,
    get: get,
    chars: chars,
  });
}

// The completion value of this script: the prelude calls the function it evaluates to.
atpProvenancePrelude;
