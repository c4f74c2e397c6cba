import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// jest does not start node with --expose-gc; the flag can still be set at run time.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap bytes in use after two full collections. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
