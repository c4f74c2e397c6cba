import BOOTSTRAP_SOURCE from './bootstrap.sandbox.js';
import EMBEDDING_SOURCE from './embedding.sandbox.js';
import PAGINATION_SOURCE from './pagination.sandbox.js';

/**
 * The script every isolate runs first: the sandbox-side files inside one function, so their top-level
 * declarations are not globals agent code could reach; it completes with the bootstrap function.
 */
export const SANDBOX_SOURCE = `(() => {\n${PAGINATION_SOURCE}\n${EMBEDDING_SOURCE}\n${BOOTSTRAP_SOURCE}\nreturn atpBootstrap;\n})();\n`;
