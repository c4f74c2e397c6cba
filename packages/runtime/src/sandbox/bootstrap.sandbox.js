// @ts-check
/**
 * The JavaScript that runs inside every fresh context before agent code (embedded as text). The script
 * is compiled once per isolate and run in each of its contexts; it evaluates to that context's entry
 * (`atpEntry`, below), the one function of the context the host holds a reference to. The host's first
 * call (`init`) passes the seam's global names (`SANDBOX_GLOBALS` of the protocol package, as JSON),
 * the channel and the entry's own reference, and installs the bootstrap; the host drives the execution
 * with the entry's other operations. It defines the only globals agent code sees besides the language
 * built-ins (`api`, `atp`, `console`, timers).
 *
 * The isolate talks to the host through a mailbox:
 * - agent calls append messages (`OutboxMessage`) to an outbox;
 * - the agent starts in the task of the compiled agent script; when that task is over (isolated-vm
 *   runs its microtasks first) the host takes the outbox itself (`collect`), so an execution that
 *   makes no host call costs one round trip;
 * - a delivery of results (`step`) queues a flush task on the isolate itself, which isolated-vm runs
 *   after the step's microtasks: at a flush the agent has made every call it can make for now. The flush hands the outbox to the host through the channel, a host function
 *   called synchronously (`applySyncPromise`: only this isolate's thread waits). The host answers with
 *   the results ready at once (`SandboxDelivery`), which the flush delivers before queueing the next
 *   flush, or with '' when nothing is ready: the isolate then idles until the next `step`. So a
 *   sequential host call costs one channel round trip, and the host knows the isolate is quiescent
 *   (a pause, when only client callbacks are left) when it answers ''.
 * The channel and the isolate's reference to its own task runner are held in this closure only: agent
 * code never reaches a host reference.
 *
 * Everything that crosses is a JSON string, parsed on the other side: no object, getter, proxy or
 * thenable of one side ever runs on the other. Built-ins the mailbox needs are captured up front, so
 * agent code that patches prototypes cannot break (only confuse) its own execution; the host validates
 * every message anyway.
 *
 * Determinism for durable replay: `Date` reads a clock the host sets at each delivery (frozen during a
 * synchronous run, like Cloudflare Workers), `Math.random` is a seeded PRNG, and sources of asynchrony
 * the host cannot see (WebAssembly, Atomics.waitAsync, WeakRef, FinalizationRegistry) are removed.
 */
/**
 * @typedef {import('@agent-tool-protocol/protocol').SandboxOp} SandboxOp
 * @typedef {import('@agent-tool-protocol/protocol').SandboxLogLevel} SandboxLogLevel
 * @typedef {import('@agent-tool-protocol/protocol').SandboxErrorInfo} SandboxErrorInfo
 * @typedef {import('@agent-tool-protocol/protocol').SandboxFailure} SandboxFailure
 * @typedef {import('@agent-tool-protocol/protocol').SandboxSetup} SandboxSetup
 * @typedef {import('@agent-tool-protocol/protocol').DeliveredResult} DeliveredResult
 * @typedef {import('@agent-tool-protocol/protocol').SandboxDelivery} SandboxDelivery
 * @typedef {import('@agent-tool-protocol/protocol').ProvenanceTracker} ProvenanceTracker
 * @typedef {{ provenance: string, start: string }} SeamGlobals
 * @typedef {{ resolve(value: unknown): void, reject(error: unknown): void }} PendingCall
 * @typedef {{ callback: Function, args: unknown[] }} TimerEntry
 * @typedef {Error & { code?: string, status?: number, details?: unknown, detailsTruncated?: boolean, issues?: unknown, errors?: unknown, data?: unknown }} CodedError
 * @typedef {{ applySyncPromise(receiver: undefined, args: [string]): unknown }} Channel a host function (isolated-vm Reference)
 * @typedef {{ apply(receiver: undefined, args: ['run']): Promise<unknown>, release(): void }} SelfReference this context's entry (isolated-vm Reference), to queue a task on this isolate
 * @typedef {[setup: (configJson: string) => void, step: (now: number, batchJson: string) => void, runQueued: () => boolean, collect: () => string, detach: () => void, hasCompiled: () => boolean]} Entries
 */

/**
 * @param {string} globalsJson the seam's global names (`SeamGlobals`) as JSON
 * @param {Channel} channel the host function that takes each outbox and answers with results
 * @param {SelfReference} self this context's entry, through which the sandbox queues its own tasks
 * @returns {Entries}
 */
function atpBootstrap(globalsJson, channel, self) {
  'use strict';
  const g = globalThis;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const ObjectFreeze = Object.freeze;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectSetPrototypeOf = Object.setPrototypeOf;
  const ObjectKeys = Object.keys;
  const ObjectHasOwn = Object.hasOwn;
  const GetOwnDescriptor = Object.getOwnPropertyDescriptor;
  const IsArray = Array.isArray;
  const ReflectApply = Reflect.apply;
  const ReflectConstruct = Reflect.construct;
  const ReflectDeleteProperty = Reflect.deleteProperty;
  const PromiseCtor = Promise;
  const PromiseThen = Promise.prototype.then;
  const PromiseWithResolvers = Promise.withResolvers;
  /** @type {[]} */
  const NO_ARGS = /** @type {[]} */ (/** @type {unknown} */ (ObjectFreeze([])));
  const ProxyCtor = Proxy;
  const MapCtor = Map;
  const MapGet = Map.prototype.get;
  const MapSet = Map.prototype.set;
  const MapDelete = Map.prototype.delete;
  const MapHas = Map.prototype.has;
  const MapSize = /** @type {(this: Map<unknown, unknown>) => number} */ (
    /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(Map.prototype, 'size')).get
  );
  const PromiseReject = Promise.reject;
  const PromiseResolve = Promise.resolve;
  const StringCtor = String;
  const StringSlice = String.prototype.slice;
  const NumberIsFinite = Number.isFinite;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const WeakSetCtor = WeakSet;
  const WeakSetAdd = WeakSet.prototype.add;
  const WeakSetHas = WeakSet.prototype.has;
  const RealDate = Date;
  const MathFloor = Math.floor;

  /** @type {SeamGlobals} */
  const globals = JSONparse(globalsJson);

  // Agent code may put accessors on Array.prototype and Object.prototype. The bootstrap's own lists
  // and descriptor objects therefore have no prototype: a store, a read of a missing index or a
  // descriptor's absent field never reaches agent code (which would get the bootstrap's data, and
  // could run inside the host's synchronous `collect`).
  /**
   * An empty array with no prototype.
   * @template T
   * @returns {T[]}
   */
  function list() {
    return ObjectSetPrototypeOf([], null);
  }
  /**
   * @param {unknown} reason
   * @returns {Promise<never>}
   */
  function rejected(reason) {
    return ReflectApply(PromiseReject, PromiseCtor, [reason]);
  }

  ReflectDeleteProperty(g, 'WebAssembly');
  ReflectDeleteProperty(g, 'WeakRef');
  ReflectDeleteProperty(g, 'FinalizationRegistry');
  if (typeof Atomics !== 'undefined') ReflectDeleteProperty(Atomics, 'waitAsync');

  // ---- configuration and clock -------------------------------------------------------------
  let clock = 0;
  let maxResultBytes = 1048576;
  let rngA = 1;
  let rngB = 2;
  let rngC = 3;
  let rngD = 4;

  function sfc32() {
    rngA |= 0;
    rngB |= 0;
    rngC |= 0;
    rngD |= 0;
    const t = (((rngA + rngB) | 0) + rngD) | 0;
    rngD = (rngD + 1) | 0;
    rngA = rngB ^ (rngB >>> 9);
    rngB = (rngC + (rngC << 3)) | 0;
    rngC = (rngC << 21) | (rngC >>> 11);
    rngC = (rngC + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  ObjectDefineProperty(
    Math,
    'random',
    /** @type {PropertyDescriptor} */ ({
      __proto__: null,
      value: function random() {
        return sfc32();
      },
      writable: true,
      configurable: true,
    }),
  );

  /**
   * `Date` with `Date.now()` and `new Date()` reading the host-set clock.
   * @param {...unknown} args
   * @this {unknown}
   */
  function FrozenClockDate(...args) {
    if (new.target === undefined) return ReflectApply(RealDate.prototype.toString, new RealDate(clock), []);
    return ReflectConstruct(RealDate, args.length === 0 ? [clock] : args, new.target);
  }
  FrozenClockDate.prototype = RealDate.prototype;
  FrozenClockDate.now = function now() {
    return clock;
  };
  FrozenClockDate.parse = RealDate.parse;
  FrozenClockDate.UTC = RealDate.UTC;
  ObjectDefineProperty(
    RealDate.prototype,
    'constructor',
    /** @type {PropertyDescriptor} */ ({
      __proto__: null,
      value: FrozenClockDate,
      writable: true,
      configurable: true,
    }),
  );
  ObjectDefineProperty(
    g,
    'Date',
    /** @type {PropertyDescriptor} */ ({
      __proto__: null,
      value: FrozenClockDate,
      writable: true,
      configurable: true,
    }),
  );

  // ---- mailbox -----------------------------------------------------------------------------
  /**
   * The outbox: JSON-encoded `OutboxMessage`s joined by commas (a string, not a list: a primitive has
   * no prototype agent code could reach, and appending allocates no array per message or flush).
   */
  let outbox = '';
  let nextId = 0;
  /** @type {Map<number, PendingCall>} */
  const pending = new MapCtor();
  /** @type {Map<number, TimerEntry>} */
  const timerCallbacks = new MapCtor();

  /** @param {string} text */
  function send(text) {
    outbox = outbox === '' ? text : `${outbox},${text}`;
  }

  /**
   * JSON text of a value that leaves the sandbox (`null` for undefined).
   * @param {unknown} value
   * @param {string} what names the value in the error
   * @returns {string}
   */
  function encode(value, what) {
    if (value === undefined) return 'null';
    try {
      const text = JSONstringify(value);
      return text === undefined ? 'null' : text;
    } catch (error) {
      throw new TypeErrorCtor(`${what} cannot be copied to the host: ${describeError(error)}`);
    }
  }

  /**
   * @param {unknown} error
   * @returns {string}
   */
  function describeError(error) {
    try {
      if (error !== null && typeof error === 'object') {
        const message = /** @type {{ message?: unknown }} */ (error).message;
        if (typeof message === 'string') return message;
      }
      return StringCtor(error);
    } catch (_) {
      return 'unknown error';
    }
  }

  // A provenance tracker (installed once by a transformCode prelude, see installProvenance) labels
  // what enters the sandbox and describes the labels of what leaves it.
  /** @type {ProvenanceTracker | null} */
  let provenance = null;

  /**
   * A field the tracker's answer owns as data (the sealing tracker answers `{}`: an absent field must
   * not be read from a getter agent code put on Object.prototype).
   * @param {unknown} answer
   * @param {string} key
   * @returns {unknown}
   */
  function ownField(answer, key) {
    if (answer === null || typeof answer !== 'object') return undefined;
    const d = GetOwnDescriptor(answer, key);
    return d !== undefined && ObjectHasOwn(d, 'value') ? d.value : undefined;
  }

  /**
   * JSON text of the tracker's labels, read from their own data properties only. `JSON.stringify` would
   * look up `toJSON` on their prototypes, and one agent code put there runs with the labels as `this`
   * and can empty them before they are written; here no agent code runs while they are encoded. Labels
   * that are not plain data (an accessor, a hole, a function) fail the call.
   * @param {unknown} value
   * @param {number} depth
   * @returns {string}
   */
  function encodeLabels(value, depth) {
    if (
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      return JSONstringify(value);
    }
    if (typeof value !== 'object' || depth > 8)
      throw new TypeErrorCtor('the provenance labels are not plain data');
    const array = IsArray(value);
    const keys = array ? null : ObjectKeys(value);
    const n = keys === null ? /** @type {unknown[]} */ (value).length : keys.length;
    let text = '';
    for (let i = 0; i < n; i++) {
      const key = keys === null ? i : /** @type {string} */ (keys[i]);
      const d = GetOwnDescriptor(value, key);
      if (d === undefined || !ObjectHasOwn(d, 'value')) {
        throw new TypeErrorCtor('the provenance labels are not plain data');
      }
      const item = encodeLabels(d.value, depth + 1);
      text += `${i === 0 ? '' : ','}${keys === null ? '' : `${JSONstringify(key)}:`}${item}`;
    }
    return array ? `[${text}]` : `{${text}}`;
  }

  /**
   * Sends a call to the host; the promise settles when the host delivers its result.
   * @param {SandboxOp} op
   * @param {Record<string, unknown>} args
   * @param {string} what names the arguments in errors
   * @returns {Promise<unknown>}
   */
  function hostCall(op, args, what) {
    // `args` is the bootstrap's own object: without a prototype, JSON.stringify finds no `toJSON` agent
    // code put on Object.prototype to replace the call's fields (a `provenance` of its choosing).
    ObjectSetPrototypeOf(args, null);
    let payload = encode(args, what);
    /** @type {((value: unknown, failed: boolean) => unknown) | null} */
    let resultHook = null;
    if (provenance !== null) {
      // Labels are computed on a plain JSON copy: exactly the data the host receives, no getters.
      const tracked = provenance.outgoing(op, JSONparse(payload));
      const labels = ownField(tracked, 'labels');
      if (labels !== undefined) {
        payload = `${payload === '{}' ? '{' : `${ReflectApply(StringSlice, payload, [0, -1])},`}"provenance":${encodeLabels(labels, 0)}}`;
      }
      const incoming = ownField(tracked, 'incoming');
      if (typeof incoming === 'function')
        resultHook = /** @type {(value: unknown, failed: boolean) => unknown} */ (incoming);
    }
    const id = ++nextId;
    send(`["call",${id},"${op}",${payload}]`);
    // One object with the promise and its own resolve/reject (own data properties: no prototype lookup),
    // kept as the pending call itself; no executor closure.
    /** @type {{ promise: Promise<unknown>, resolve(value: unknown): void, reject(error: unknown): void }} */
    const call = ReflectApply(PromiseWithResolvers, PromiseCtor, NO_ARGS);
    const hook = resultHook;
    if (hook === null) {
      ReflectApply(MapSet, pending, [id, call]);
    } else {
      const { resolve, reject } = call;
      ReflectApply(MapSet, pending, [
        id,
        {
          /** @param {unknown} value */
          resolve: (value) => resolve(hook(value, false)),
          /** @param {unknown} error */
          reject: (error) => reject(hook(error, true)),
        },
      ]);
    }
    return call.promise;
  }

  /** @param {unknown} tracker */
  function installProvenance(tracker) {
    ReflectDeleteProperty(g, globals.provenance);
    if (
      provenance !== null ||
      tracker === null ||
      typeof tracker !== 'object' ||
      typeof (/** @type {{ outgoing?: unknown }} */ (tracker).outgoing) !== 'function'
    ) {
      throw new TypeErrorCtor('provenance tracking is already installed');
    }
    provenance = /** @type {ProvenanceTracker} */ (tracker);
  }

  /** Errors made from host failures (see `serializeFailure`). */
  const hostErrors = new WeakSetCtor();
  /** Keys of a host error's `details` that are also set on the error itself. */
  const DETAIL_SHORTCUTS = ObjectFreeze(['issues', 'errors', 'data']);

  /**
   * An own field of an error made here, as an assignment would make it. Not an assignment: a setter agent
   * code put on Error.prototype or Object.prototype would take the host's value (an error's details,
   * before the provenance tracker labels them) instead of the error.
   * @param {object} error
   * @param {string} key
   * @param {unknown} value
   */
  function setField(error, key, value) {
    ObjectDefineProperty(
      error,
      key,
      /** @type {PropertyDescriptor} */ ({
        __proto__: null,
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      }),
    );
  }

  /**
   * A host failure as an error of agent code: `TypeError`/`RangeError` by name, else an `Error` that
   * carries the host's name (`ValidationError`); code, status and the (plain JSON) details.
   * @param {SandboxErrorInfo} info
   * @returns {CodedError}
   */
  function makeError(info) {
    const Ctor =
      info.name === 'TypeError' ? TypeErrorCtor : info.name === 'RangeError' ? RangeErrorCtor : ErrorCtor;
    /** @type {CodedError} */
    const error = new Ctor(StringCtor(info.message));
    if (Ctor === ErrorCtor && typeof info.name === 'string' && info.name !== 'Error') {
      ObjectDefineProperty(
        error,
        'name',
        /** @type {PropertyDescriptor} */ ({
          __proto__: null,
          value: info.name,
          writable: true,
          configurable: true,
        }),
      );
    }
    if (typeof info.code === 'string') setField(error, 'code', info.code);
    if (typeof info.status === 'number') setField(error, 'status', info.status);
    const details = info.details;
    if (details !== undefined) {
      setField(error, 'details', details);
      if (details !== null && typeof details === 'object') {
        for (let i = 0; i < DETAIL_SHORTCUTS.length; i++) {
          const key = /** @type {'issues' | 'errors' | 'data'} */ (DETAIL_SHORTCUTS[i]);
          const value = /** @type {Record<string, unknown>} */ (details)[key];
          if (value !== undefined) setField(error, key, value);
        }
      }
    }
    if (info.detailsTruncated === true) setField(error, 'detailsTruncated', true);
    ReflectApply(WeakSetAdd, hostErrors, [error]);
    return error;
  }

  // ---- api -------------------------------------------------------------------------------------
  // `api.<fn>.paginate(…)` / `.all(…)`: pagination.sandbox.js, loaded in one script with this file.
  const pageHelper = atpPagination({
    call: (path, input, what) => hostCall('api', { path, input }, what),
    warn: (message) => log('warn', message, undefined),
  });

  /** @type {Map<string, any>} `api.<path>` proxies made so far (see apiNode) */
  const apiNodes = new MapCtor();
  /** Proxies kept for reuse, at most: beyond that a node is made per access. */
  const API_NODES_KEPT = 4096;

  /**
   * The proxy for `api.<path>`: property reads extend the path, a call sends it to the host. Each path's
   * proxy is made once and reused (a loop of calls would otherwise allocate two proxies and their traps
   * per call). It holds no state and its traps refuse changes (`preventExtensions` included, so no
   * agent code can break a shared proxy's invariants for later accesses).
   * @param {string} path
   * @returns {any}
   */
  function apiNode(path) {
    /** @type {any} */
    const known = ReflectApply(MapGet, apiNodes, [path]);
    if (known !== undefined) return known;
    const node = makeApiNode(path);
    if (ReflectApply(MapSize, apiNodes, []) < API_NODES_KEPT) ReflectApply(MapSet, apiNodes, [path, node]);
    return node;
  }

  /**
   * @param {string} path
   * @returns {any}
   */
  function makeApiNode(path) {
    const target = () => {};
    // Whether this is `<fn>.paginate` / `<fn>.all`: decided once per path.
    const helper = path === '' ? undefined : pageHelper(path);
    const what = `The input of api.${path}`;
    /**
     * This node's children by key, among the nodes kept: `api.g.f` in a loop then costs two map reads by
     * the keys themselves, not a path string built and hashed per access.
     * @type {Map<string, any>}
     */
    const children = new MapCtor();
    return new ProxyCtor(target, {
      get: (_t, key) => {
        if (typeof key !== 'string' || key === 'then') return undefined;
        const child = ReflectApply(MapGet, children, [key]);
        if (child !== undefined) return child;
        const childPath = path === '' ? key : `${path}.${key}`;
        const node = apiNode(childPath);
        if (ReflectApply(MapGet, apiNodes, [childPath]) === node) ReflectApply(MapSet, children, [key, node]);
        return node;
      },
      apply: (_t, _this, args) => {
        if (path === '') return rejected(new TypeErrorCtor('api is not a function'));
        if (helper !== undefined) return helper(args[0], args[1]);
        try {
          return hostCall('api', { path, input: args[0] }, what);
        } catch (error) {
          return rejected(error);
        }
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
      preventExtensions: () => false,
      has: () => false,
      ownKeys: () => [],
      getPrototypeOf: () => null,
      setPrototypeOf: () => false,
      construct: () => {
        throw new TypeErrorCtor(`api.${path} is not a constructor`);
      },
    });
  }

  /**
   * @param {SandboxOp} op
   * @param {Record<string, unknown>} args
   * @param {string} what
   * @returns {Promise<unknown>}
   */
  function callAsync(op, args, what) {
    try {
      return hostCall(op, args, what);
    } catch (error) {
      return rejected(error);
    }
  }

  /**
   * @param {unknown} message
   * @returns {string}
   */
  function messageText(message) {
    if (typeof message === 'string') return message;
    try {
      const text = JSONstringify(message);
      return text === undefined ? StringCtor(message) : text;
    } catch (_) {
      return StringCtor(message);
    }
  }

  /**
   * A JSON.stringify replacer: an Error keeps its name, message, stack and own fields (it would be `{}`),
   * so `atp.log.error('Failed', { error })` says what failed.
   * @param {string} _key
   * @param {unknown} value
   * @returns {unknown}
   */
  function errorFields(_key, value) {
    if (!(value instanceof ErrorCtor)) return value;
    const fields = /** @type {Record<string, unknown>} */ ({
      __proto__: null,
      name: value.name,
      message: value.message,
      stack: value.stack,
    });
    const own = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (value));
    for (const key in own) fields[key] = own[key];
    return fields;
  }

  /**
   * @param {SandboxLogLevel} level
   * @param {unknown} message
   * @param {unknown} data
   */
  function log(level, message, data) {
    let dataText = 'null';
    if (data !== undefined) {
      try {
        const text = JSONstringify(data, errorFields);
        dataText = text === undefined ? 'null' : text;
      } catch (error) {
        dataText = JSONstringify(`log data cannot be copied to the host: ${describeError(error)}`);
      }
    }
    send(`["log","${level}",${JSONstringify(messageText(message))},${dataText}]`);
  }

  /** @param {SandboxLogLevel} level */
  const logMethod =
    (level) =>
    /** @type {(message: unknown, data?: unknown) => void} */
    (message, data) =>
      log(level, message, data);

  const api = apiNode('');
  const atp = ObjectFreeze({
    // The original ATP's spelling of the same proxy: atp.api.<group>.<fn>(input).
    api,
    log: ObjectFreeze({
      debug: logMethod('debug'),
      info: logMethod('info'),
      warn: logMethod('warn'),
      error: logMethod('error'),
    }),
    progress: ObjectFreeze({
      /**
       * @param {unknown} message
       * @param {unknown} fraction
       * @param {unknown} data
       */
      report: (message, fraction, data) => {
        // The original ATP's form: report({ current, total, message }).
        if (message !== null && typeof message === 'object' && fraction === undefined) {
          const counts = /** @type {Record<string, unknown>} */ (message);
          const { current, total } = counts;
          const counted = typeof current === 'number' && typeof total === 'number' && total > 0;
          data = counted ? { current, total } : undefined;
          fraction = counted ? current / total : counts.fraction;
          message =
            typeof counts.message === 'string' ? counts.message : counted ? `${current}/${total}` : '';
        }
        const f = typeof fraction === 'number' && NumberIsFinite(fraction) ? fraction : null;
        const dataText = data === undefined ? 'null' : encode(data, 'progress data');
        send(
          `["progress",${JSONstringify(messageText(message))},${f === null ? 'null' : JSONstringify(f)},${dataText}]`,
        );
      },
    }),
    cache: ObjectFreeze({
      /** @param {unknown} key */
      get: (key) => callAsync('cache.get', { key }, 'The cache key'),
      /**
       * @param {unknown} key
       * @param {unknown} value
       * @param {unknown} ttlSeconds
       */
      set: (key, value, ttlSeconds) =>
        callAsync('cache.set', { key, value, ttl: ttlSeconds }, 'The cached value'),
      /** @param {unknown} key */
      delete: (key) => callAsync('cache.delete', { key }, 'The cache key'),
    }),
    llm: ObjectFreeze({
      /**
       * @param {unknown} input
       * @param {unknown} options
       */
      call: (input, options) => callAsync('llm.call', { input, options }, 'The llm.call input'),
      /**
       * @param {unknown} input
       * @param {unknown} options
       */
      extract: (input, options) => callAsync('llm.extract', { input, options }, 'The llm.extract input'),
      /**
       * @param {unknown} input
       * @param {unknown} options
       */
      classify: (input, options) => callAsync('llm.classify', { input, options }, 'The llm.classify input'),
    }),
    approval: ObjectFreeze({
      /**
       * @param {unknown} message
       * @param {unknown} context
       */
      request: (message, context) =>
        callAsync('approval.request', { message: messageText(message), context }, 'The approval context'),
    }),
    // embedding.sandbox.js, loaded in one script with this file: the execution's vector store.
    embedding: atpEmbedding({ call: (op, args, what) => callAsync(op, args, what) }),
  });

  // ---- timers (sandbox-local, answered by the host; they count as in-flight work) -------------
  /** The longest delay Node's timers take (a signed 32-bit number of ms). */
  const TIMER_MAX_MS = 2147483647;
  /**
   * @param {unknown} callback
   * @param {unknown} ms
   * @param {...unknown} args
   * @returns {number}
   */
  function setTimeoutLocal(callback, ms, ...args) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('setTimeout expects a function');
    // Like Node, a delay past the 32-bit limit (Infinity included) waits 1 ms: `Infinity` is no JSON,
    // and the outbox must stay JSON, and the host's timers would warn on the process for longer delays.
    const delay = typeof ms !== 'number' || !(ms > 0) ? 0 : ms <= TIMER_MAX_MS ? MathFloor(ms) : 1;
    const id = ++nextId;
    ReflectApply(MapSet, timerCallbacks, [id, { callback, args }]);
    send(`["call",${id},"timer",{"ms":${delay}}]`);
    ReflectApply(MapSet, pending, [
      id,
      {
        resolve: () => {
          /** @type {TimerEntry | undefined} */
          const entry = ReflectApply(MapGet, timerCallbacks, [id]);
          if (entry === undefined) return;
          ReflectApply(MapDelete, timerCallbacks, [id]);
          ReflectApply(entry.callback, undefined, entry.args);
        },
        reject: () => {
          ReflectApply(MapDelete, timerCallbacks, [id]);
        },
      },
    ]);
    return id;
  }

  /** @param {unknown} id */
  function clearTimeoutLocal(id) {
    if (typeof id !== 'number' || !ReflectApply(MapHas, timerCallbacks, [id])) return;
    ReflectApply(MapDelete, timerCallbacks, [id]);
    ReflectApply(MapDelete, pending, [id]);
    send(`["cancel",${id}]`);
  }

  /** @type {Map<number, number>} interval id → the id of its current timer */
  const intervals = new MapCtor();
  let nextIntervalId = 0;
  /**
   * @param {unknown} callback
   * @param {unknown} ms
   * @param {...unknown} args
   * @returns {number}
   */
  function setIntervalLocal(callback, ms, ...args) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('setInterval expects a function');
    const intervalId = --nextIntervalId;
    const tick = () => {
      ReflectApply(MapSet, intervals, [intervalId, setTimeoutLocal(tick, ms)]);
      ReflectApply(callback, undefined, args);
    };
    ReflectApply(MapSet, intervals, [intervalId, setTimeoutLocal(tick, ms)]);
    return intervalId;
  }
  /** @param {unknown} intervalId */
  function clearIntervalLocal(intervalId) {
    /** @type {number | undefined} */
    const timerId = ReflectApply(MapGet, intervals, [intervalId]);
    if (timerId === undefined) return;
    ReflectApply(MapDelete, intervals, [intervalId]);
    clearTimeoutLocal(timerId);
  }

  /**
   * @param {SandboxLogLevel} level
   * @returns {(...args: unknown[]) => void}
   */
  function consoleMethod(level) {
    return (...args) => {
      let text = '';
      for (let i = 0; i < args.length; i++) text += (i === 0 ? '' : ' ') + messageText(args[i]);
      log(level, text, undefined);
    };
  }

  /**
   * @param {string} name
   * @param {unknown} value
   */
  const define = (name, value) => {
    ObjectDefineProperty(
      g,
      name,
      /** @type {PropertyDescriptor} */ ({
        __proto__: null,
        value,
        writable: true,
        configurable: true,
        enumerable: false,
      }),
    );
  };
  define('api', api);
  define('atp', atp);
  define('setTimeout', setTimeoutLocal);
  define('clearTimeout', clearTimeoutLocal);
  define('setInterval', setIntervalLocal);
  define('clearInterval', clearIntervalLocal);
  define(
    'queueMicrotask',
    /** @param {() => void} callback */
    (callback) => {
      ReflectApply(PromiseThen, ReflectApply(PromiseResolve, PromiseCtor, []), [() => callback()]);
    },
  );
  define(
    'console',
    ObjectFreeze({
      log: consoleMethod('info'),
      info: consoleMethod('info'),
      debug: consoleMethod('debug'),
      warn: consoleMethod('warn'),
      error: consoleMethod('error'),
    }),
  );

  // ---- result serialisation, bounded by maxResultBytes ----------------------------------------
  const TOO_LARGE = {};
  /**
   * The `done` message of a returned value, refusing (while serialising) values that are too large
   * or not plain data.
   * @param {unknown} value
   * @returns {string}
   */
  function serializeResult(value) {
    let budget = maxResultBytes;
    /** @type {string | null} */
    let problem = null;
    /**
     * @param {string} key
     * @param {unknown} v
     */
    const replacer = (key, v) => {
      budget -= key.length + 4;
      switch (typeof v) {
        case 'string':
          budget -= v.length + 2;
          break;
        case 'bigint':
          problem = `a BigInt${key === '' ? '' : ` at key "${key}"`}`;
          throw TOO_LARGE;
        case 'function':
          problem = `a function${key === '' ? '' : ` at key "${key}"`}`;
          throw TOO_LARGE;
        case 'symbol':
          problem = `a symbol${key === '' ? '' : ` at key "${key}"`}`;
          throw TOO_LARGE;
        default:
          budget -= 8;
      }
      if (budget < 0) throw TOO_LARGE;
      return v;
    };
    /** @type {string | undefined} */
    let text;
    try {
      text = JSONstringify(value, replacer);
    } catch (error) {
      if (error === TOO_LARGE && problem === null) {
        return `["done",2,{"code":"RESULT_TOO_LARGE","message":"The result is larger than maxResultBytes (${maxResultBytes} bytes)"}]`;
      }
      const reason = problem !== null ? `it contains ${problem}` : describeError(error);
      const message = `The result cannot be copied out of the sandbox: ${reason}. Return plain JSON data.`;
      return `["done",2,{"code":"RESULT_NOT_SERIALIZABLE","message":${JSONstringify(message)}}]`;
    }
    if (text === undefined) return '["done",1]';
    return `["done",1,${text}]`;
  }

  /**
   * The `done` message of a thrown error.
   * @param {unknown} error
   * @returns {string}
   */
  function serializeFailure(error) {
    /** @type {SandboxFailure} */
    const info = /** @type {SandboxFailure} */ ({
      __proto__: null,
      name: 'Error',
      message: 'Uncaught exception',
    });
    /** @type {string | undefined} */
    let details;
    try {
      if (error !== null && typeof error === 'object') {
        const thrown = /** @type {Record<string, unknown>} */ (error);
        if (typeof thrown.name === 'string') info.name = thrown.name;
        if (typeof thrown.message === 'string') info.message = thrown.message;
        if (typeof thrown.code === 'string') info.code = thrown.code;
        if (typeof thrown.status === 'number') info.status = thrown.status;
        if (typeof thrown.stack === 'string') info.stack = thrown.stack;
        if (ReflectApply(WeakSetHas, hostErrors, [error])) info.fromHost = true;
        if (thrown.details !== undefined) details = serializeDetails(thrown.details);
        if (thrown.detailsTruncated === true) info.detailsTruncated = true;
      } else {
        info.message = `Uncaught ${StringCtor(error)}`;
      }
    } catch (_) {}
    const text = JSONstringify(info);
    return details === undefined
      ? `["done",0,${text}]`
      : `["done",0,${ReflectApply(StringSlice, text, [0, -1])},"details":${details}}]`;
  }

  /** Twice what the host keeps of an error's details: the host shortens them, this only bounds the work. */
  const MAX_DETAILS_CHARS = 65536;

  /**
   * An uncaught error's `details` as JSON text, or undefined when they are not plain data or too large.
   * @param {unknown} details
   * @returns {string | undefined}
   */
  function serializeDetails(details) {
    let budget = MAX_DETAILS_CHARS;
    /**
     * @param {string} key
     * @param {unknown} v
     */
    const replacer = (key, v) => {
      budget -= key.length + (typeof v === 'string' ? v.length + 6 : 12);
      if (budget < 0) throw TOO_LARGE;
      return v;
    };
    try {
      return JSONstringify(details, replacer);
    } catch (_) {
      return undefined;
    }
  }

  // ---- tasks and the channel ------------------------------------------------------------------
  /** @type {SelfReference['apply'] | null} */
  let selfApply = self.apply;
  /** @type {SelfReference['release'] | null} */
  let selfRelease = self.release;
  const channelCall = channel.applySyncPromise;
  /** @type {(() => boolean)[]} jobs for `runQueued`, in order (an index queue: no prototype methods) */
  const jobs = list();
  let jobsHead = 0;

  /**
   * Hands `text` (a JSON array of `OutboxMessage`) to the host and returns its answer.
   * @param {string} text
   * @returns {string}
   */
  function toHost(text) {
    return /** @type {string} */ (ReflectApply(channelCall, channel, [undefined, [text]]));
  }

  /** @returns {string} the outbox, emptied */
  function collect() {
    const text = `[${outbox}]`;
    outbox = '';
    return text;
  }

  const NO_CONSTRUCTOR = ObjectFreeze(
    /** @type {PropertyDescriptor} */ ({ __proto__: null, value: undefined }),
  );
  /**
   * `promise.then(...handlers)` on the intrinsic `Promise`. `then` looks up the promise's constructor
   * for its species, and agent code may have replaced `Promise.prototype.constructor` to have its own
   * code called when the promise settles — for the promise of `runJob`'s task, after the execution
   * ended (in an isolate that serves another execution next). An own `constructor: undefined` makes
   * `then` use the intrinsic.
   * @param {unknown} promise a promise of this context
   * @param {[(value: unknown) => void, (error: unknown) => void]} handlers
   */
  function thenIntrinsic(promise, handlers) {
    ObjectDefineProperty(promise, 'constructor', NO_CONSTRUCTOR);
    ReflectApply(PromiseThen, promise, handlers);
  }

  /**
   * Runs `job` in a task of its own on this isolate. When the task is over — its microtasks included —
   * and the job returned true, a flush follows. A task that ends with a promise rejected without a
   * handler (isolated-vm reports those at the end of a task, and the job's result is lost) is logged
   * and followed by a flush too; the execution goes on, like in a browser.
   * @param {() => boolean} job
   */
  function runJob(job) {
    if (selfApply === null) return;
    jobs[jobs.length] = job;
    thenIntrinsic(ReflectApply(selfApply, self, RUN_QUEUED), AFTER_JOB);
  }
  const RUN_QUEUED = ObjectFreeze([undefined, ObjectFreeze(['run'])]);
  /**
   * The handlers of every job's task (made once: a task is queued per host call).
   * @type {[(value: unknown) => void, (error: unknown) => void]}
   */
  const AFTER_JOB = [
    /** @param {unknown} again */
    (again) => {
      if (again === true) runJob(flush);
    },
    /** @param {unknown} error */
    (error) => {
      send(`["log","warn",${JSONstringify(`Unhandled promise rejection: ${describeError(error)}`)},null]`);
      runJob(flush);
    },
  ];

  /**
   * The task `runJob` queued: runs the oldest job.
   * @returns {boolean} whether a flush follows
   */
  function runQueued() {
    const job = jobs[jobsHead];
    jobs[jobsHead] = noJob;
    jobsHead++;
    if (jobsHead === jobs.length) {
      jobs.length = 0;
      jobsHead = 0;
    }
    return job === undefined ? false : job();
  }
  const noJob = () => false;

  /**
   * The outbox to the host, at a point where the agent can do nothing more for now. Results the host
   * answers with are delivered (and another flush follows); '' ends the host's entry.
   * @returns {boolean}
   */
  function flush() {
    const reply = toHost(collect());
    if (reply === '') return false;
    /** @type {SandboxDelivery} */
    const delivery = JSONparse(reply);
    deliver(delivery[0], delivery[1]);
    return true;
  }

  /**
   * Resolves or rejects the promises of the calls the results answer.
   * @param {number} now the sandbox clock from now on
   * @param {DeliveredResult[]} batch
   */
  function deliver(now, batch) {
    clock = now;
    for (let i = 0; i < batch.length; i++) {
      const item = /** @type {DeliveredResult} */ (batch[i]);
      /** @type {PendingCall | undefined} */
      const entry = ReflectApply(MapGet, pending, [item[0]]);
      if (entry === undefined) continue;
      ReflectApply(MapDelete, pending, [item[0]]);
      try {
        if (item[1] === 1) entry.resolve(item[2]);
        else entry.reject(makeError(item[2]));
      } catch (error) {
        send(serializeFailure(error));
      }
    }
  }

  // ---- limits the sandbox can see coming -----------------------------------------------------
  let maxMemoryBytes = 134217728;
  const ArrayFill = Array.prototype.fill;
  const ArrayIsArray = Array.isArray;
  const MathTrunc = Math.trunc;
  const MathMin = Math.min;
  const MathMax = Math.max;
  const NumberIsNaN = Number.isNaN;

  /**
   * An index argument as `Array.prototype.fill` reads it: ToIntegerOrInfinity, negatives counted
   * from the end, clamped into [0, length].
   * @param {unknown} value
   * @param {number} length
   * @param {number} fallback when `value` is undefined
   */
  function relativeIndex(value, length, fallback) {
    if (value === undefined) return fallback;
    const n = +(/** @type {any} */ (value));
    const integer = NumberIsNaN(n) ? 0 : MathTrunc(n);
    return integer < 0 ? MathMax(integer + length, 0) : MathMin(integer, length);
  }

  // V8 fills a huge sparse array in a native loop that no limit interrupts (it runs for seconds past
  // any timeout). An array cannot hold more than maxMemoryBytes / 8 elements within the memory limit,
  // so filling more than that ends the execution as memory_exceeded at once.
  const guardedFill = {
    /**
     * @this {unknown}
     * @param {unknown} value
     * @param {...unknown} range start, end
     */
    fill(value, ...range) {
      if (!ArrayIsArray(this)) return ReflectApply(ArrayFill, this, [value, range[0], range[1]]);
      const length = this.length;
      const first = relativeIndex(range[0], length, 0);
      const last = relativeIndex(range[1], length, length);
      if ((last - first) * 8 > maxMemoryBytes) {
        toHost('[["limit","memory"]]');
        throw new RangeErrorCtor('Array fill exceeds the memory limit');
      }
      return ReflectApply(ArrayFill, this, [value, first, last]);
    },
  }.fill;
  ObjectDefineProperty(
    Array.prototype,
    'fill',
    /** @type {PropertyDescriptor} */ ({
      __proto__: null,
      value: guardedFill,
      writable: true,
      configurable: true,
    }),
  );

  // ---- entries the host calls --------------------------------------------------------------
  /** Whether `setup` ran: the host does not wait for its answer, so `start` checks it. */
  let configured = false;
  /** @param {string} configText a `SandboxSetup` as JSON */
  function setup(configText) {
    /** @type {SandboxSetup} */
    const config = JSONparse(configText);
    maxResultBytes = config.maxResultBytes;
    maxMemoryBytes = config.maxMemoryBytes;
    clock = config.clock;
    rngA = config.seed[0] ?? 1;
    rngB = config.seed[1] ?? 2;
    rngC = config.seed[2] ?? 3;
    rngD = config.seed[3] ?? 4;
    for (let i = 0; i < 12; i++) sfc32();
    configured = true;
  }

  let started = false;
  let compiled = false;
  /**
   * Starts the agent's function (the compiled agent script calls this once, then it is removed). No
   * flush follows: the host waits for this task to end, then takes the outbox itself (`collect`). A
   * promise rejected without a handler during the task reaches the host as its call's rejection.
   * @param {unknown} main the agent's async function
   */
  function start(main) {
    ReflectDeleteProperty(g, globals.start);
    if (started || typeof main !== 'function') return;
    started = true;
    if (!configured) {
      // Not a message the host knows: a protocol violation, which ends the execution (an internal
      // error) and retires the isolate.
      send('["not set up"]');
      return;
    }
    /** @type {unknown} */
    let promise;
    try {
      promise = main();
    } catch (error) {
      ReflectDeleteProperty(g, globals.provenance);
      send(serializeFailure(error));
      return;
    }
    ReflectDeleteProperty(g, globals.provenance);
    /** @type {[(value: unknown) => void, (error: unknown) => void]} */
    const handlers = [
      /** @param {unknown} value */
      (value) => send(serializeResult(value)),
      /** @param {unknown} error */
      (error) => send(serializeFailure(error)),
    ];
    try {
      thenIntrinsic(promise, handlers);
    } catch (_) {
      // not a promise of this context (the agent's function is async, so only a transformed one)
      thenIntrinsic(new PromiseCtor((resolve) => resolve(promise)), handlers);
    }
  }
  // The compiled agent script's first evaluation is this getter (the callee of its call to start,
  // evaluated before anything else in the script): when it ran, the script compiled, whatever the
  // script does next. A compile error runs nothing, so the host tells it apart from an error agent
  // code throws (see `hasCompiled`).
  ObjectDefineProperty(
    g,
    globals.start,
    /** @type {PropertyDescriptor} */ ({
      __proto__: null,
      get: () => {
        compiled = true;
        return start;
      },
      configurable: true,
      enumerable: false,
    }),
  );
  // A transformCode prelude may install a provenance tracker as its first statement; removed at start.
  ObjectDefineProperty(
    g,
    globals.provenance,
    /** @type {PropertyDescriptor} */ ({
      __proto__: null,
      value: installProvenance,
      writable: false,
      configurable: true,
      enumerable: false,
    }),
  );

  /**
   * Delivers results the host had while the sandbox was idle, then queues a flush. Like `start`, the
   * host's call reports a promise rejected without a handler during this task.
   * @param {number} now the sandbox clock from now on
   * @param {string} batchText a JSON array of `DeliveredResult`
   */
  function step(now, batchText) {
    deliver(now, JSONparse(batchText));
    runJob(flush);
  }

  /**
   * The execution is over: this context never runs a task of its own again (a task already queued
   * finds no job), and the reference to itself is dropped so the context can be collected while the
   * isolate lives on for a fresh context.
   */
  function detach() {
    const release = selfRelease;
    selfApply = null;
    selfRelease = null;
    jobs.length = 0;
    jobsHead = 0;
    outbox = '';
    if (release !== null) ReflectApply(release, self, []);
  }

  /** Whether the agent script compiled (its first evaluation ran). */
  function hasCompiled() {
    return compiled;
  }

  return [setup, step, runQueued, collect, detach, hasCompiled];
}

/**
 * The entry of one context: the host calls it by operation name. `init` (once, first) installs the
 * bootstrap with the seam's global names, the channel and this entry's own reference; then `setup`,
 * `step` and `collect` drive the execution (`compiled` tells whether the agent script compiled), `run`
 * is the task the sandbox queues on itself, and `detach` ends the context's part in the isolate. Only the host holds a reference to it: agent code
 * never sees this function (it is the script's completion value, not a global).
 * @returns {(op: string, a?: unknown, b?: unknown, c?: unknown) => unknown}
 */
// biome-ignore lint/correctness/noUnusedVariables: called by the script's completion expression (sandbox-source.ts)
function atpEntry() {
  'use strict';
  /** @type {Entries | null} */
  let entries = null;
  const TypeErrorCtor = TypeError;
  return function atpEntryOf(op, a, b, c) {
    if (entries === null) {
      if (op !== 'init') throw new TypeErrorCtor('The sandbox is not initialised');
      entries = atpBootstrap(
        /** @type {string} */ (a),
        /** @type {Channel} */ (b),
        /** @type {SelfReference} */ (c),
      );
      return undefined;
    }
    switch (op) {
      case 'run':
        return entries[2]();
      case 'step':
        return entries[1](/** @type {number} */ (a), /** @type {string} */ (b));
      case 'collect':
        return entries[3]();
      case 'setup':
        return entries[0](/** @type {string} */ (a));
      case 'detach':
        return entries[4]();
      case 'compiled':
        return entries[5]();
      default:
        throw new TypeErrorCtor(`Unknown sandbox operation ${String(op)}`);
    }
  };
}
