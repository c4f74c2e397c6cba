/** Process exit codes of the `atp` command (documented in docs/cli.md). */
export const ExitCode = {
  OK: 0,
  /** `atp exec`: the execution ended with a status other than `completed`; or an unexpected error. */
  EXECUTION_FAILED: 1,
  /** Unknown command, bad or missing flags. */
  USAGE: 2,
  /** The config file is missing, unreadable, invalid, or names an unset environment variable. */
  CONFIG: 3,
  /** The gateway could not start: a spec that does not load, an MCP server that exits, a port in use. */
  STARTUP: 4,
  /** `atp exec`: the server could not be reached or refused the request. */
  SERVER: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
