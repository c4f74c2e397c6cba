/**
 * The JavaScript that runs inside every fresh isolate before agent code. It defines the only
 * globals agent code sees besides the language built-ins (`api`, `atp`, `console`, timers) and
 * returns the three entry functions the host drives the execution with.
 *
 * The isolate never holds a host reference. It talks to the host through a mailbox:
 * - agent calls append messages to an outbox; the host takes the outbox (`collect`) after each entry;
 * - the host delivers results with `step(clock, batch)`, resolving promises by call id.
 * isolated-vm drains the isolate's microtasks after every entry, so after `step` + `collect` the host
 * knows every call the agent made, which is how it detects that only client callbacks remain.
 *
 * Everything that crosses is a JSON string, parsed on the other side: no object, getter, proxy or
 * thenable of one side ever runs on the other. Built-ins the mailbox needs are captured up front,
 * so agent code that patches prototypes cannot break (only confuse) its own execution; the host
 * validates every message anyway.
 *
 * Determinism for durable replay: `Date` reads a clock the host sets at each entry (frozen during a
 * synchronous run, like Cloudflare Workers), `Math.random` is a seeded PRNG, and sources of
 * asynchrony the host cannot see (WebAssembly, Atomics.waitAsync, WeakRef, FinalizationRegistry)
 * are removed.
 */
export const BOOTSTRAP_SOURCE = `(function () {
  'use strict';
  const g = globalThis;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const ObjectFreeze = Object.freeze;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectCreate = Object.create;
  const PromiseCtor = Promise;
  const PromiseThen = Promise.prototype.then;
  const ReflectApply = Reflect.apply;
  const ReflectConstruct = Reflect.construct;
  const ProxyCtor = Proxy;
  const MapCtor = Map;
  const MapGet = Map.prototype.get;
  const MapSet = Map.prototype.set;
  const MapDelete = Map.prototype.delete;
  const MapHas = Map.prototype.has;
  const StringCtor = String;
  const NumberIsFinite = Number.isFinite;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const RealDate = Date;
  const ArrayIsArray = Array.isArray;
  const MathFloor = Math.floor;
  const MathSqrt = Math.sqrt;

  delete g.WebAssembly;
  delete g.WeakRef;
  delete g.FinalizationRegistry;
  if (typeof Atomics !== 'undefined') delete Atomics.waitAsync;

  // ---- configuration and clock -------------------------------------------------------------
  let clock = 0;
  let maxResultBytes = 1048576;
  let rngA = 1, rngB = 2, rngC = 3, rngD = 4;

  function sfc32() {
    rngA |= 0; rngB |= 0; rngC |= 0; rngD |= 0;
    const t = (((rngA + rngB) | 0) + rngD) | 0;
    rngD = (rngD + 1) | 0;
    rngA = rngB ^ (rngB >>> 9);
    rngB = (rngC + (rngC << 3)) | 0;
    rngC = (rngC << 21) | (rngC >>> 11);
    rngC = (rngC + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  ObjectDefineProperty(Math, 'random', { value: function random() { return sfc32(); }, writable: true, configurable: true });

  function FrozenClockDate(...args) {
    if (new.target === undefined) return ReflectApply(RealDate.prototype.toString, new RealDate(clock), []);
    return ReflectConstruct(RealDate, args.length === 0 ? [clock] : args, new.target);
  }
  FrozenClockDate.prototype = RealDate.prototype;
  FrozenClockDate.now = function now() { return clock; };
  FrozenClockDate.parse = RealDate.parse;
  FrozenClockDate.UTC = RealDate.UTC;
  ObjectDefineProperty(RealDate.prototype, 'constructor', { value: FrozenClockDate, writable: true, configurable: true });
  ObjectDefineProperty(g, 'Date', { value: FrozenClockDate, writable: true, configurable: true });

  // ---- mailbox -----------------------------------------------------------------------------
  let outbox = [];
  let nextId = 0;
  const pending = new MapCtor();
  const timerCallbacks = new MapCtor();

  function send(text) { outbox[outbox.length] = text; }

  function encode(value, what) {
    if (value === undefined) return 'null';
    try {
      const text = JSONstringify(value);
      return text === undefined ? 'null' : text;
    } catch (error) {
      throw new TypeErrorCtor(what + ' cannot be copied to the host: ' + describeError(error));
    }
  }

  function describeError(error) {
    try {
      if (error !== null && typeof error === 'object' && typeof error.message === 'string') return error.message;
      return StringCtor(error);
    } catch (_) {
      return 'unknown error';
    }
  }

  // A provenance tracker (installed once by a transformCode prelude, see installProvenance) labels
  // what enters the sandbox and describes the labels of what leaves it.
  let provenance = null;

  function hostCall(op, args, what) {
    let payload = encode(args, what);
    let resultHook = null;
    if (provenance !== null) {
      // Labels are computed on a plain JSON copy: exactly the data the host receives, no getters.
      const tracked = provenance.outgoing(op, JSONparse(payload));
      if (tracked.labels !== undefined) payload = (payload === '{}' ? '{' : payload.slice(0, -1) + ',') + '"provenance":' + JSONstringify(tracked.labels) + '}';
      if (typeof tracked.incoming === 'function') resultHook = tracked.incoming;
    }
    const id = ++nextId;
    send('["call",' + id + ',"' + op + '",' + payload + ']');
    return new PromiseCtor(function (resolve, reject) {
      if (resultHook === null) {
        ReflectApply(MapSet, pending, [id, { resolve: resolve, reject: reject }]);
        return;
      }
      ReflectApply(MapSet, pending, [id, {
        resolve: function (value) { resolve(resultHook(value, false)); },
        reject: function (error) { reject(resultHook(error, true)); },
      }]);
    });
  }

  function installProvenance(tracker) {
    delete g.__atp_provenance;
    if (provenance !== null || tracker === null || typeof tracker !== 'object' || typeof tracker.outgoing !== 'function') {
      throw new TypeErrorCtor('provenance tracking is already installed');
    }
    provenance = tracker;
  }

  function makeError(info) {
    const Ctor = info.name === 'TypeError' ? TypeErrorCtor : info.name === 'RangeError' ? RangeErrorCtor : ErrorCtor;
    const error = new Ctor(StringCtor(info.message));
    if (typeof info.code === 'string') error.code = info.code;
    if (typeof info.status === 'number') error.status = info.status;
    if (info.details !== undefined) error.details = info.details;
    return error;
  }

  // ---- api -------------------------------------------------------------------------------------
  function apiNode(path) {
    const target = function () {};
    return new ProxyCtor(target, {
      get: function (_t, key) {
        if (typeof key !== 'string' || key === 'then') return undefined;
        return apiNode(path === '' ? key : path + '.' + key);
      },
      apply: function (_t, _this, args) {
        if (path === '') return PromiseCtor.reject(new TypeErrorCtor('api is not a function'));
        try {
          return hostCall('api', { path: path, input: args[0] }, 'The input of api.' + path);
        } catch (error) {
          return PromiseCtor.reject(error);
        }
      },
      set: function () { return false; },
      defineProperty: function () { return false; },
      deleteProperty: function () { return false; },
      has: function () { return false; },
      ownKeys: function () { return ['prototype']; },
      getPrototypeOf: function () { return null; },
      setPrototypeOf: function () { return false; },
      construct: function () { throw new TypeErrorCtor('api.' + path + ' is not a constructor'); },
    });
  }

  function callAsync(op, args, what) {
    try {
      return hostCall(op, args, what);
    } catch (error) {
      return PromiseCtor.reject(error);
    }
  }

  function messageText(message) {
    if (typeof message === 'string') return message;
    try {
      const text = JSONstringify(message);
      return text === undefined ? StringCtor(message) : text;
    } catch (_) {
      return StringCtor(message);
    }
  }

  // Errors in log data keep their name, message and stack (JSON.stringify would give {}).
  function errorFields(key, value) {
    if (!(value instanceof ErrorCtor)) return value;
    const fields = { name: value.name, message: value.message, stack: value.stack };
    for (const own in value) fields[own] = value[own];
    return fields;
  }

  function log(level, message, data) {
    let dataText = 'null';
    if (data !== undefined) {
      try {
        const text = JSONstringify(data, errorFields);
        dataText = text === undefined ? 'null' : text;
      } catch (error) {
        dataText = JSONstringify('log data cannot be copied to the host: ' + describeError(error));
      }
    }
    send('["log","' + level + '",' + JSONstringify(messageText(message)) + ',' + dataText + ']');
  }

  // ---- atp.embedding: the client computes vectors; this execution keeps them --------------------
  // embed(text | texts, metadata?) stores each vector here and answers its id; search(query, options?)
  // ranks what was stored by cosine similarity to the query's vector. The store lives in the isolate,
  // so it is per execution, counts against its memory limit, and a durable replay rebuilds it from the
  // journaled vectors. vector(text) answers the raw vector.
  function embeddingApi() {
    const records = [];
    let nextEmbedding = 0;
    function requestVector(text) {
      return callAsync('embedding.embed', { text: text }, 'The text to embed');
    }
    function cosine(a, b) {
      if (!ArrayIsArray(a) || !ArrayIsArray(b) || a.length !== b.length || a.length === 0) return 0;
      let dot = 0, na = 0, nb = 0;
      for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
      return na === 0 || nb === 0 ? 0 : dot / (MathSqrt(na) * MathSqrt(nb));
    }
    function storeOne(text, metadata) {
      const id = 'emb_' + ++nextEmbedding;
      return ReflectApply(PromiseThen, requestVector(text), [function (vector) {
        if (!ArrayIsArray(vector)) throw new TypeErrorCtor('The client answered atp.embedding.embed with no vector');
        const record = { id: id, text: StringCtor(text), embedding: vector };
        if (metadata !== undefined) record.metadata = metadata;
        records[records.length] = record;
        return id;
      }]);
    }
    function matches(record, filter) {
      if (filter === null || typeof filter !== 'object') return true;
      for (const key in filter) if (record.metadata === undefined || record.metadata[key] !== filter[key]) return false;
      return true;
    }
    return ObjectFreeze({
      embed: function (input, metadata) {
        if (!ArrayIsArray(input)) return storeOne(input, metadata);
        const ids = [];
        for (let i = 0; i < input.length; i++) ids[i] = storeOne(input[i], metadata);
        return PromiseCtor.all(ids);
      },
      search: function (query, options) {
        const payload = { query: query };
        if (options !== null && typeof options === 'object') {
          for (const key in options) if (key !== 'query') payload[key] = options[key];
        }
        const topK = typeof payload.topK === 'number' && payload.topK >= 0 ? MathFloor(payload.topK) : 5;
        const minSimilarity = typeof payload.minSimilarity === 'number' ? payload.minSimilarity : -Infinity;
        return ReflectApply(PromiseThen, callAsync('embedding.search', payload, 'The embedding search input'), [function (vector) {
          const ranked = [];
          for (let i = 0; i < records.length; i++) {
            const record = records[i];
            if (!matches(record, payload.filter)) continue;
            const similarity = cosine(vector, record.embedding);
            if (similarity < minSimilarity) continue;
            const match = { id: record.id, text: record.text, similarity: similarity };
            if (record.metadata !== undefined) match.metadata = record.metadata;
            ranked[ranked.length] = match;
          }
          ranked.sort(function (a, b) { return b.similarity - a.similarity; });
          return ranked.slice(0, topK);
        }]);
      },
      vector: requestVector,
      similarity: cosine,
      count: function () { return records.length; },
      getAll: function () { return records.slice(); },
    });
  }

  const api = apiNode('');
  const atp = ObjectFreeze({
    // The original ATP's spelling of the same proxy: atp.api.<group>.<fn>(input).
    api: api,
    log: ObjectFreeze({
      debug: function (message, data) { log('debug', message, data); },
      info: function (message, data) { log('info', message, data); },
      warn: function (message, data) { log('warn', message, data); },
      error: function (message, data) { log('error', message, data); },
    }),
    progress: ObjectFreeze({
      // report(message, fraction?, data?) or report({ current, total, message }) (the original ATP's form).
      report: function (message, fraction, data) {
        if (message !== null && typeof message === 'object' && fraction === undefined) {
          const p = message;
          const counted = typeof p.current === 'number' && typeof p.total === 'number' && p.total > 0;
          data = counted ? { current: p.current, total: p.total } : undefined;
          fraction = counted ? p.current / p.total : p.fraction;
          message = typeof p.message === 'string' ? p.message : counted ? p.current + '/' + p.total : '';
        }
        const f = typeof fraction === 'number' && NumberIsFinite(fraction) ? fraction : null;
        send('["progress",' + JSONstringify(messageText(message)) + ',' + (f === null ? 'null' : JSONstringify(f)) + ',' +
          (data === undefined ? 'null' : encode(data, 'progress data')) + ']');
      },
    }),
    cache: ObjectFreeze({
      get: function (key) { return callAsync('cache.get', { key: key }, 'The cache key'); },
      set: function (key, value, ttlSeconds) {
        return callAsync('cache.set', { key: key, value: value, ttl: ttlSeconds }, 'The cached value');
      },
      delete: function (key) { return callAsync('cache.delete', { key: key }, 'The cache key'); },
    }),
    llm: ObjectFreeze({
      call: function (input, options) { return callAsync('llm.call', { input: input, options: options }, 'The llm.call input'); },
      extract: function (input, options) {
        return callAsync('llm.extract', { input: input, options: options }, 'The llm.extract input');
      },
      classify: function (input, options) {
        return callAsync('llm.classify', { input: input, options: options }, 'The llm.classify input');
      },
    }),
    approval: ObjectFreeze({
      request: function (message, context) {
        return callAsync('approval.request', { message: messageText(message), context: context }, 'The approval context');
      },
    }),
    embedding: embeddingApi(),
  });

  // ---- timers (sandbox-local, answered by the host; they count as in-flight work) -------------
  function setTimeoutLocal(callback, ms, ...args) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('setTimeout expects a function');
    const delay = typeof ms === 'number' && ms > 0 ? MathFloor(ms) : 0;
    const id = ++nextId;
    ReflectApply(MapSet, timerCallbacks, [id, { callback: callback, args: args }]);
    send('["call",' + id + ',"timer",{"ms":' + delay + '}]');
    ReflectApply(MapSet, pending, [id, {
      resolve: function () {
        const entry = ReflectApply(MapGet, timerCallbacks, [id]);
        if (entry === undefined) return;
        ReflectApply(MapDelete, timerCallbacks, [id]);
        ReflectApply(entry.callback, undefined, entry.args);
      },
      reject: function () { ReflectApply(MapDelete, timerCallbacks, [id]); },
    }]);
    return id;
  }

  function clearTimeoutLocal(id) {
    if (typeof id !== 'number' || !ReflectApply(MapHas, timerCallbacks, [id])) return;
    ReflectApply(MapDelete, timerCallbacks, [id]);
    ReflectApply(MapDelete, pending, [id]);
    send('["cancel",' + id + ']');
  }

  const intervals = new MapCtor();
  let nextIntervalId = 0;
  function setIntervalLocal(callback, ms, ...args) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('setInterval expects a function');
    const intervalId = --nextIntervalId;
    const tick = function () {
      ReflectApply(MapSet, intervals, [intervalId, setTimeoutLocal(tick, ms)]);
      ReflectApply(callback, undefined, args);
    };
    ReflectApply(MapSet, intervals, [intervalId, setTimeoutLocal(tick, ms)]);
    return intervalId;
  }
  function clearIntervalLocal(intervalId) {
    const timerId = ReflectApply(MapGet, intervals, [intervalId]);
    if (timerId === undefined) return;
    ReflectApply(MapDelete, intervals, [intervalId]);
    clearTimeoutLocal(timerId);
  }

  function consoleMethod(level) {
    return function (...args) {
      let text = '';
      for (let i = 0; i < args.length; i++) text += (i === 0 ? '' : ' ') + messageText(args[i]);
      log(level, text, undefined);
    };
  }

  const define = function (name, value) {
    ObjectDefineProperty(g, name, { value: value, writable: true, configurable: true, enumerable: false });
  };
  define('api', api);
  define('atp', atp);
  define('setTimeout', setTimeoutLocal);
  define('clearTimeout', clearTimeoutLocal);
  define('setInterval', setIntervalLocal);
  define('clearInterval', clearIntervalLocal);
  define('queueMicrotask', function (callback) { ReflectApply(PromiseThen, PromiseCtor.resolve(), [function () { callback(); }]); });
  define('console', ObjectFreeze({
    log: consoleMethod('info'), info: consoleMethod('info'), debug: consoleMethod('debug'),
    warn: consoleMethod('warn'), error: consoleMethod('error'),
  }));

  // ---- result serialisation, bounded by maxResultBytes ----------------------------------------
  const TOO_LARGE = {};
  function serializeResult(value) {
    let budget = maxResultBytes;
    let problem = null;
    const replacer = function (key, v) {
      budget -= key.length + 4;
      switch (typeof v) {
        case 'string': budget -= v.length + 2; break;
        case 'bigint': problem = 'a BigInt' + (key === '' ? '' : ' at key "' + key + '"'); throw TOO_LARGE;
        case 'function': problem = 'a function' + (key === '' ? '' : ' at key "' + key + '"'); throw TOO_LARGE;
        case 'symbol': problem = 'a symbol' + (key === '' ? '' : ' at key "' + key + '"'); throw TOO_LARGE;
        default: budget -= 8;
      }
      if (budget < 0) throw TOO_LARGE;
      return v;
    };
    let text;
    try {
      text = JSONstringify(value, replacer);
    } catch (error) {
      if (error === TOO_LARGE && problem === null) {
        return '["done",2,{"code":"RESULT_TOO_LARGE","message":"The result is larger than maxResultBytes (' + maxResultBytes + ' bytes)"}]';
      }
      const reason = problem !== null ? 'it contains ' + problem : describeError(error);
      return '["done",2,{"code":"RESULT_NOT_SERIALIZABLE","message":' +
        JSONstringify('The result cannot be copied out of the sandbox: ' + reason + '. Return plain JSON data.') + '}]';
    }
    if (text === undefined) return '["done",1]';
    return '["done",1,' + text + ']';
  }

  function serializeFailure(error) {
    const info = { name: 'Error', message: 'Uncaught exception' };
    try {
      if (error !== null && typeof error === 'object') {
        if (typeof error.name === 'string') info.name = error.name;
        if (typeof error.message === 'string') info.message = error.message;
        if (typeof error.code === 'string') info.code = error.code;
        if (typeof error.status === 'number') info.status = error.status;
        if (typeof error.stack === 'string') info.stack = error.stack;
      } else {
        info.message = 'Uncaught ' + StringCtor(error);
      }
    } catch (_) {}
    return '["done",0,' + JSONstringify(info) + ']';
  }

  // ---- entries the host calls --------------------------------------------------------------
  function setup(configText) {
    const config = JSONparse(configText);
    maxResultBytes = config.maxResultBytes;
    clock = config.clock;
    rngA = config.seed[0]; rngB = config.seed[1]; rngC = config.seed[2]; rngD = config.seed[3];
    for (let i = 0; i < 12; i++) sfc32();
  }

  let started = false;
  function start(main) {
    delete g.__atp_start;
    if (started || typeof main !== 'function') return;
    started = true;
    let promise;
    try {
      promise = main();
    } catch (error) {
      delete g.__atp_provenance;
      send(serializeFailure(error));
      return;
    }
    delete g.__atp_provenance;
    ReflectApply(PromiseThen, PromiseCtor.resolve(promise), [
      function (value) { send(serializeResult(value)); },
      function (error) { send(serializeFailure(error)); },
    ]);
  }
  // The compiled agent script calls this once, with the agent's function, and it removes itself.
  ObjectDefineProperty(g, '__atp_start', { value: start, writable: false, configurable: true, enumerable: false });
  // A transformCode prelude may install a provenance tracker as its first statement; removed at start.
  ObjectDefineProperty(g, '__atp_provenance', { value: installProvenance, writable: false, configurable: true, enumerable: false });

  function step(now, batchText) {
    clock = now;
    const batch = JSONparse(batchText);
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
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

  function collect() {
    const items = outbox;
    outbox = [];
    let text = '[';
    for (let i = 0; i < items.length; i++) text += (i === 0 ? '' : ',') + items[i];
    return text + ']';
  }

  return [setup, step, collect];
})()`;
