// @ts-check
/**
 * `api.<fn>.paginate(input, { max })` and `api.<fn>.all(input, { max })` inside the sandbox (loaded as
 * text before the bootstrap, see `sandbox-source.ts`; the bootstrap calls `atpPagination` once).
 *
 * Each page is one `api` host call whose path is `<fn>.<helper>#page` (`PAGE_CALL_SUFFIX` of the protocol
 * package) with the page's input: the dispatcher calls `<fn>` with it as an ordinary call (validation,
 * hooks, approvals, audit and `maxToolCalls` apply per page) and answers a `PageCallAnswer`: the page's
 * items and the input properties that fetch the next page, or — when `<fn>.<helper>` is a function of its
 * own — that function's result. Pages are fetched only when the loop asks for more items, so `break` (or
 * reaching `max`) fetches nothing further.
 */
/**
 * @typedef {import('@agent-tool-protocol/protocol').PageOfItems} PageOfItems
 * @typedef {{ page: PageOfItems } | { value: unknown }} Answer
 * @typedef {'paginate' | 'all'} Helper
 * @typedef {{
 *   call: (path: string, input: Record<string, unknown>, what: string) => Promise<unknown>,
 *   warn: (message: string) => void,
 * }} PagingHost
 * @typedef {(input: unknown, options: unknown) => unknown} HelperFunction
 */

/**
 * @param {PagingHost} host
 * @returns {(path: string) => HelperFunction | undefined} the helper an `api.<path>(…)` call means, if any
 */
// biome-ignore lint/correctness/noUnusedVariables: called by the bootstrap (loaded with it as one script)
function atpPagination(host) {
  'use strict';
  const PAGE_CALL_SUFFIX = '#page';
  const ObjectFreeze = Object.freeze;
  const ObjectHasOwn = Object.hasOwn;
  const NumberIsInteger = Number.isInteger;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const asyncIterator = Symbol.asyncIterator;
  /** Marks the generator's return value when the host answered a function's own result. */
  const OWN_RESULT = ObjectFreeze({});

  /**
   * @param {unknown} options
   * @param {string} label
   * @returns {number | undefined}
   */
  function maxOf(options, label) {
    if (options === undefined || options === null) return undefined;
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeErrorCtor(`${label}: the options must be an object such as { max: 500 }`);
    }
    const record = /** @type {Record<string, unknown>} */ (options);
    for (const key in record) {
      if (key !== 'max')
        throw new TypeErrorCtor(`${label}: unknown option "${key}" (the only option is max)`);
    }
    const max = record.max;
    if (max === undefined) return undefined;
    if (typeof max !== 'number' || !(max >= 0) || (max !== Infinity && !NumberIsInteger(max))) {
      throw new RangeErrorCtor(`${label}: max must be a whole number of items (or Infinity)`);
    }
    return max;
  }

  /**
   * @param {unknown} input
   * @param {string} label
   * @returns {Record<string, unknown>}
   */
  function inputOf(input, label) {
    if (input === undefined || input === null) return {};
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw new TypeErrorCtor(`${label}: the input must be an object`);
    }
    return /** @type {Record<string, unknown>} */ (input);
  }

  /**
   * One page call; errors name `api.<fn>.<helper>`, not the page call's path.
   * @param {string} target
   * @param {Helper} helper
   * @param {Record<string, unknown>} input
   * @returns {Promise<Answer>}
   */
  async function pageCall(target, helper, input) {
    const label = `api.${target}.${helper}`;
    /** @type {unknown} */
    let answer;
    try {
      answer = await host.call(`${target}.${helper}${PAGE_CALL_SUFFIX}`, input, `The input of ${label}`);
    } catch (error) {
      if (error instanceof Error && typeof error.message === 'string') {
        error.message = error.message.split(`${label}${PAGE_CALL_SUFFIX}`).join(label);
      }
      throw error;
    }
    if (answer !== null && typeof answer === 'object') {
      const record = /** @type {Record<string, unknown>} */ (answer);
      if (ObjectHasOwn(record, 'value')) return /** @type {Answer} */ (record);
      const page = /** @type {Record<string, unknown> | null} */ (record.page ?? null);
      if (page !== null && typeof page === 'object' && Array.isArray(page.items)) {
        return /** @type {Answer} */ (record);
      }
    }
    throw new TypeErrorCtor(`${label}: the host's answer is not a page`);
  }

  /**
   * The items of every page, fetched as they are asked for. Returns `OWN_RESULT`-tagged `{ value }` when
   * `<target>.<helper>` is itself a function (only `all` asks for that; `paginate` throws instead).
   * @param {string} target
   * @param {Helper} helper
   * @param {Record<string, unknown>} input
   * @param {number | undefined} requestedMax
   * @returns {AsyncGenerator<unknown, { tag: object, value: unknown } | undefined, undefined>}
   */
  async function* items(target, helper, input, requestedMax) {
    const label = `api.${target}.${helper}`;
    const defaulted = requestedMax === undefined;
    let cap = requestedMax;
    let pageInput = input;
    let count = 0;
    for (let first = true; ; first = false) {
      if (cap !== undefined && count >= cap) return undefined;
      const answer = await pageCall(target, helper, pageInput);
      if (!('page' in answer)) {
        if (first && helper === 'all') return { tag: OWN_RESULT, value: answer.value };
        throw new TypeErrorCtor(
          `${label} is a function of its own, not a listing: call it with await ${label}(input)`,
        );
      }
      const page = answer.page;
      if (page.warning !== undefined) host.warn(String(page.warning));
      if (cap === undefined) cap = page.defaultMax;
      const list = page.items;
      for (let index = 0; index < list.length; index++) {
        if (count >= cap) {
          if (defaulted) host.warn(capMessage(label, cap));
          return undefined;
        }
        count++;
        yield list[index];
      }
      if (page.next === null) return undefined;
      if (count >= cap) {
        if (defaulted) host.warn(capMessage(label, cap));
        return undefined;
      }
      pageInput = { ...pageInput, ...page.next };
    }
  }

  /**
   * @param {string} label
   * @param {number} cap
   */
  function capMessage(label, cap) {
    return `${label} stopped at ${cap} items, the default cap, with more pages unread; pass { max } to read more`;
  }

  /**
   * @param {string} target
   * @param {unknown} input
   * @param {unknown} options
   */
  function paginate(target, input, options) {
    const label = `api.${target}.paginate`;
    const pageInput = inputOf(input, label);
    const max = maxOf(options, label);
    return ObjectFreeze({
      [asyncIterator]: () => items(target, 'paginate', pageInput, max),
      // `await api.x.paginate(…)` reaches a function named `paginate`; for a listing it explains itself.
      /**
       * @param {(value: unknown) => unknown} [onFulfilled]
       * @param {(reason: unknown) => unknown} [onRejected]
       */
      // biome-ignore lint/suspicious/noThenProperty: deliberately thenable (see above)
      then: (onFulfilled, onRejected) =>
        pageCall(target, 'paginate', pageInput)
          .then((answer) => {
            if ('value' in answer) return answer.value;
            throw new TypeErrorCtor(
              `${label}(…) is an async iterable: use for await (const item of ${label}(…)), or await api.${target}.all(…) for an array`,
            );
          })
          .then(onFulfilled, onRejected),
    });
  }

  /**
   * @param {string} target
   * @param {unknown} input
   * @param {unknown} options
   * @returns {Promise<unknown>}
   */
  async function all(target, input, options) {
    const label = `api.${target}.all`;
    const iterator = items(target, 'all', inputOf(input, label), maxOf(options, label));
    /** @type {unknown[]} */
    const collected = [];
    for (;;) {
      const step = await iterator.next();
      if (step.done) {
        const own = step.value;
        return own !== undefined && own.tag === OWN_RESULT ? own.value : collected;
      }
      collected[collected.length] = step.value;
    }
  }

  return (path) => {
    const dot = path.lastIndexOf('.');
    if (dot < 0) return undefined;
    const helper = path.slice(dot + 1);
    const target = path.slice(0, dot);
    if (helper === 'paginate') return (input, options) => paginate(target, input, options);
    if (helper === 'all') return (input, options) => all(target, input, options);
    return undefined;
  };
}
