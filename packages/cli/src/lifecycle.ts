const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Resolves on the first SIGINT/SIGTERM/SIGHUP. A repeat within a second is ignored (a terminal's Ctrl-C
 * reaches both the `atp` launcher, which forwards it, and this process); a later one exits at once.
 */
export function waitForShutdownSignal(
  onForce: () => void = () => process.exit(130),
): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let firstAt: number | undefined;
    const handler = (signal: NodeJS.Signals) => {
      if (firstAt === undefined) {
        firstAt = Date.now();
        resolve(signal);
      } else if (Date.now() - firstAt > 1_000) onForce();
    };
    for (const signal of SIGNALS) process.on(signal, handler);
  });
}
