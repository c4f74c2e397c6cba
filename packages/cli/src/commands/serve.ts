import { ExitCode } from '../exit-codes.js';
import { buildGateway } from '../gateway.js';
import { waitForShutdownSignal } from '../lifecycle.js';
import { createProgress } from '../progress.js';
import { resolveConfig } from '../resolve-config.js';
import { formatSummary } from '../summary.js';
import type { CommandContext } from './context.js';
import { commandLogger, GATEWAY_OPTIONS, gatewayFlagsOf, parseCommandArgs } from './options.js';

export const SERVE_HELP = `Usage: atp serve [options]

Serves every configured OpenAPI spec, GraphQL API and MCP server as one ATP gateway (ATP at /api, MCP at /mcp).

Options:
  -c, --config <file>          config file (YAML or JSON); default ./atp.config.yaml when present
  -p, --port <n>               port (default 3333; 0 picks a free one)
      --host <host>            interface to bind (default 127.0.0.1)
      --mcp-anonymous          serve /mcp without credentials (local use only; by default MCP clients
                               send Authorization: Bearer <token from POST /api/init>, or an API key
                               the config's auth section accepts)
      --openapi <name=spec>    an OpenAPI spec file or URL, as api.<name> (repeatable)
      --graphql <name=source>  a GraphQL endpoint URL (introspected), a schema file (SDL or
                               introspection JSON), or file,url (repeatable)
      --mcp <'name=command'>   an MCP server: a command line (stdio) or an http(s) URL (repeatable)
      --redis <url>            share sessions and paused executions through Redis
      --rules <file>           a rules file (YAML)
      --audit <dir>            write a JSONL audit log to <dir>/audit.jsonl
      --inspector              serve the ATP Inspector page at /inspector (or inspector: true in the config)
      --log-level <level>      fatal|error|warn|info|debug|trace|silent (default warn; logs go to stderr,
                               pretty on a terminal, JSON otherwise; ATP_LOG_FORMAT=pretty|json)
  -h, --help                   this help
`;

export async function serveCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('serve', args, {
    ...GATEWAY_OPTIONS,
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'mcp-anonymous': { type: 'boolean' },
    inspector: { type: 'boolean' },
  });
  if (values.help) {
    context.stdout.write(SERVE_HELP);
    return ExitCode.OK;
  }
  const resolved = await resolveConfig(values.config, gatewayFlagsOf(values), context);
  const { file, notices } = resolved;
  const config = values.inspector ? { ...resolved.config, inspector: true } : resolved.config;
  for (const notice of notices) context.stderr.write(`notice: ${notice}\n`);
  const logger = commandLogger(values['log-level'], config.server.logLevel, context);
  const progress = createProgress(context.stderr);
  const gateway = await buildGateway(config, { logger, progress });
  const shutdown = waitForShutdownSignal();
  let url: string;
  try {
    url = await gateway.listen();
  } catch (error) {
    await gateway.close();
    throw error;
  }
  progress.stop();
  context.stdout.write(
    formatSummary({
      url,
      mcpPath: config.server.mcpPath,
      mcpAnonymous: config.server.mcpAnonymous,
      mcpKeys: config.auth !== undefined,
      inspectorPath: gateway.inspectorPath,
      groups: gateway.groups,
      warnings: gateway.warnings,
      configFile: file,
    }),
  );
  context.stderr.write('Ctrl-C stops the gateway.\n');
  const signal = await shutdown;
  context.stderr.write(`${signal}: stopping the gateway and its MCP servers…\n`);
  await gateway.close();
  context.stderr.write('stopped.\n');
  return ExitCode.OK;
}
