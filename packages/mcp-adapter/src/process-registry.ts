/**
 * Process groups of running stdio servers, killed if the host goes away without closing its
 * connectors: on `exit`, and on SIGINT/SIGTERM/SIGHUP when no one else handles the signal (then
 * Node would die at once; the servers run in their own process groups, so the terminal's Ctrl+C
 * does not reach them). An application with its own signal handlers is expected to call `close()`.
 */
const groups = new Map<number, boolean>();
const SIGNALS: NodeJS.Signals[] = process.platform === 'win32' ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
const signalListeners = new Map<NodeJS.Signals, () => void>();
let installed = false;

function killAll(): void {
  for (const [pid, isGroup] of groups) {
    try {
      process.kill(isGroup ? -pid : pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

function install(): void {
  process.on('exit', killAll);
  for (const signal of SIGNALS) {
    const listener = () => {
      if (process.listenerCount(signal) > 1) return;
      killAll();
      uninstall();
      // Re-raise with no listener left: the default action ends the process as it would have.
      process.kill(process.pid, signal);
    };
    signalListeners.set(signal, listener);
    process.on(signal, listener);
  }
  installed = true;
}

function uninstall(): void {
  process.off('exit', killAll);
  for (const [signal, listener] of signalListeners) process.off(signal, listener);
  signalListeners.clear();
  installed = false;
}

export function trackProcessGroup(pid: number, isGroup: boolean): void {
  groups.set(pid, isGroup);
  if (!installed) install();
}

export function untrackProcessGroup(pid: number): void {
  groups.delete(pid);
  if (groups.size === 0 && installed) uninstall();
}
