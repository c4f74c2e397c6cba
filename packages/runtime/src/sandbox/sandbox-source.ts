import BOOTSTRAP_SOURCE from './bootstrap.sandbox.js';
import EMBEDDING_SOURCE from './embedding.sandbox.js';
import PAGINATION_SOURCE from './pagination.sandbox.js';

/**
 * The script every context runs first: the sandbox-side files inside one function, so their top-level
 * declarations are not globals agent code could reach; it completes with the context's entry
 * (`atpEntry` in the bootstrap). Compiled once per isolate, run once in each of its contexts.
 */
export const SANDBOX_SOURCE = `(() => {\n${PAGINATION_SOURCE}\n${EMBEDDING_SOURCE}\n${BOOTSTRAP_SOURCE}\nreturn atpEntry();\n})();\n`;
