/** Sandbox-side JavaScript (`*.sandbox.js`) is imported as its source text (tsup `text` loader, jest transform). */
declare module '*.sandbox.js' {
  const source: string;
  export default source;
}
