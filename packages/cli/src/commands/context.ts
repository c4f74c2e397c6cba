import type { Readable, Writable } from 'node:stream';
import type { Environment } from '../env-interpolation.js';

/** Where a command reads and writes; the bin passes the process's own. */
export interface CommandContext {
  cwd: string;
  env: Environment;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}
