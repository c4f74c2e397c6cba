// Jest transform for sandbox-side JavaScript (`*.sandbox.js`): the module's default export is the file's
// text, as tsup's `text` loader makes it in the built packages.
module.exports = {
  process(sourceText) {
    return { code: `module.exports = { __esModule: true, default: ${JSON.stringify(sourceText)} };` };
  },
};
