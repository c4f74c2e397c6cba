import { serveATPOverStdio } from '@agent-tool-protocol/mcp-adapter';
import { ephemeralSecret } from '../ephemeral-secret.js';
import { ExitCode } from '../exit-codes.js';
import { buildGateway } from '../gateway.js';
import { waitForShutdownSignal } from '../lifecycle.js';
import { createProgress } from '../progress.js';
import { resolveConfig } from '../resolve-config.js';
import type { CommandContext } from './context.js';
import { commandLogger, GATEWAY_OPTIONS, gatewayFlagsOf, parseCommandArgs } from './options.js';

export const MCP_HELP = `Usage: atp mcp [options]

Serves the same aggregation as \`atp serve\` as an MCP server over stdio (for Claude Desktop/Code, Cursor,
any MCP client): tools search_api, explore_api and execute_code over every configured API.
stdout carries only the MCP protocol; progress and logs go to stderr.

Options:
  -c, --config <file>          config file (YAML or JSON); default ./atp.config.yaml when present
      --openapi <name=spec>    an OpenAPI spec file or URL (repeatable)
      --graphql <name=source>  a GraphQL endpoint URL, a schema file, or file,url (repeatable)
      --mcp <'name=command'>   an MCP server to aggregate (repeatable)
      --redis <url>, --rules <file>, --audit <dir>, --log-level <level>   as for \`atp serve\`
  -h, --help                   this help
`;

export async function mcpCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('mcp', args, GATEWAY_OPTIONS);
  if (values.help) {
    context.stderr.write(MCP_HELP);
    return ExitCode.OK;
  }
  const { config, notices } = await resolveConfig(values.config, gatewayFlagsOf(values), context);
  for (const notice of notices) context.stderr.write(`notice: ${notice}\n`);
  const logger = commandLogger(values['log-level'], config.server.logLevel, context);
  const progress = createProgress(context.stderr);
  const gateway = await buildGateway(
    {
      ...config,
      inspector: false,
      server: { ...config.server, mcpPath: false, jwtSecret: ephemeralSecret(config, context.env) },
    },
    { logger, progress },
  );
  progress.stop();
  const total = gateway.groups.reduce((sum, group) => sum + group.functions, 0);
  context.stderr.write(
    `ATP MCP server on stdio: ${gateway.groups.length} API groups, ${total} functions (${gateway.groups.map((group) => group.name).join(', ') || 'none'})\n`,
  );
  for (const warning of gateway.warnings) context.stderr.write(`warning: ${warning}\n`);
  const stdio = await serveATPOverStdio(gateway.server.engine, {
    name: 'atp',
    logger,
    stdin: context.stdin,
    stdout: context.stdout,
  });
  const reason = await Promise.race([stdio.closed.then(() => 'stdin closed'), waitForShutdownSignal()]);
  context.stderr.write(`${reason}: stopping\n`);
  await stdio.close();
  await gateway.close();
  return ExitCode.OK;
}
