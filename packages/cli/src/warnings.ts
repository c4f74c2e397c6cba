/**
 * The sandbox strips TypeScript from agent code with Node's `module.stripTypeScriptTypes`, and Node
 * prints "ExperimentalWarning: stripTypeScriptTypes is an experimental feature" once per process. A
 * CLI user cannot act on it, so `atp` drops exactly that warning; every other warning (experimental
 * or not) is still printed. `--disable-warning=ExperimentalWarning` would hide them all.
 */
export function hideTypeStrippingWarning(target: NodeJS.Process = process): void {
  for (const listener of target.listeners('warning')) {
    target.off('warning', listener);
    target.on('warning', (warning: Error) => {
      if (isTypeStrippingWarning(warning)) return;
      listener(warning);
    });
  }
}

export function isTypeStrippingWarning(warning: Error): boolean {
  return warning.name === 'ExperimentalWarning' && /\bstripTypeScriptTypes\b/.test(warning.message);
}
