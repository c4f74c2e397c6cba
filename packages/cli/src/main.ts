import { isATPError } from '@agent-tool-protocol/protocol';
import type { CommandContext } from './commands/context.js';
import { CLIError, errorMessage } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { VERSION } from './version.js';

export const HELP = `atp ${VERSION}: one Agent Tool Protocol gateway over your OpenAPI specs, GraphQL APIs and MCP servers.

Usage:
  atp serve [--config atp.config.yaml] [--port 3333] [--openapi name=spec ...] [--graphql name=url ...]
            [--mcp 'name=command args' ...] [--redis URL] [--rules rules.yaml] [--audit dir]
  atp mcp   [--config …] [--openapi …] [--graphql …] [--mcp …]   the same, as an MCP server over stdio
  atp exec  <file.ts | -> [--server URL] [--config …] run agent code, print the result
  atp init  [file] [--force]                        write a commented starter atp.config.yaml

Run \`atp <command> --help\` for a command's options. Docs: docs/cli.md
Exit codes: 0 ok, 1 execution failed, 2 usage, 3 config, 4 startup, 5 server unreachable/refused.
`;

type Command = (args: string[], context: CommandContext) => Promise<number>;

// Loaded on demand: `atp init` and `--help` should not pay for the server, the sandbox and the MCP SDK.
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  mcp: async () => (await import('./commands/mcp.js')).mcpCommand,
  exec: async () => (await import('./commands/exec.js')).execCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
};

/** Runs one `atp` command line; resolves with the process exit code. Never throws. */
export async function runCLI(argv: string[], context: CommandContext): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    context.stdout.write(HELP);
    return command === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    context.stdout.write(`${VERSION}\n`);
    return ExitCode.OK;
  }
  const load = COMMANDS[command];
  if (!load) {
    context.stderr.write(
      `atp: unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}.\n`,
    );
    return ExitCode.USAGE;
  }
  try {
    const run = await load();
    return await run(args, context);
  } catch (error) {
    context.stderr.write(`atp ${command}: ${errorMessage(error)}\n`);
    if (error instanceof CLIError) {
      if (error.suggestion) context.stderr.write(`  hint: ${error.suggestion}\n`);
      return error.exitCode;
    }
    if (isATPError(error) && (error.code === 'VALIDATION_ERROR' || error.code === 'CONFIG_ERROR')) {
      return ExitCode.CONFIG;
    }
    if (!isATPError(error) && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
    return ExitCode.EXECUTION_FAILED;
  }
}
