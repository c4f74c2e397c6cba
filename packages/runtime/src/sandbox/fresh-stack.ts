/**
 * Makes an asynchronous isolated-vm call (`call`) in a microtask of its own, right after the current
 * one. isolated-vm captures a detailed stack trace of its caller for every asynchronous call (for its
 * error messages), which costs about as much as the rest of the call when the caller is deep in a
 * request's chain of optimised async functions; from a fresh microtask that stack is one frame.
 */
export function onFreshStack<T>(call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queueMicrotask(() => {
      try {
        call().then(resolve, reject);
      } catch (error) {
        reject(error);
      }
    });
  });
}
