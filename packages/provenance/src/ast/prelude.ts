import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import PRELUDE_SCRIPT from './prelude.sandbox.js';

/** The identifier the instrumented code calls its helpers through; agent code may not use `__atp_*`. */
export const HELPERS = '__atp_p';

/**
 * The in-sandbox half of `ast` mode (`prelude.sandbox.js`), as the statement prepended to the
 * instrumented agent code: it evaluates the prelude script, calls its function with the bootstrap's
 * provenance seam and binds the helpers to `HELPERS`.
 */
export const PRELUDE_SOURCE = `const ${HELPERS} = (() => {
${PRELUDE_SCRIPT}
return atpProvenancePrelude;
})()(globalThis.${SANDBOX_GLOBALS.provenance});
`;
