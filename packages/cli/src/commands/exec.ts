import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { ExecutionResult } from '@agent-tool-protocol/protocol';
import { ephemeralSecret } from '../ephemeral-secret.js';
import { CLIError, errorMessage, usageError } from '../errors.js';
import { ExecOutput } from '../exec-output.js';
import { ExitCode } from '../exit-codes.js';
import { buildGateway, type Gateway } from '../gateway.js';
import { createOpenAICompatibleLLM, createUnconfiguredLLM, llmConfigFrom } from '../llm.js';
import { createProgress } from '../progress.js';
import { resolveConfig } from '../resolve-config.js';
import type { CommandContext } from './context.js';
import { commandLogger, GATEWAY_OPTIONS, gatewayFlagsOf, parseCommandArgs } from './options.js';

export const EXEC_HELP = `Usage: atp exec <file.ts | -> [options]

Runs agent code (a function body: \`return await api.<group>.<fn>(…)\`) and prints its result as JSON on
stdout. On stderr: atp.log lines as they happen, atp.progress (a live status line on a terminal, plain
\`progress:\` lines otherwise) and a final status line. Exit code 0 when the execution completed, 1 otherwise.

Without --server an in-process gateway is built from the config (and --openapi/--graphql/--mcp flags).
atp.llm.* is answered by the config's \`llm\` section (an OpenAI-compatible endpoint) or
ATP_LLM_BASE_URL / ATP_LLM_MODEL / ATP_LLM_API_KEY (or OPENAI_API_KEY); otherwise it fails with "no LLM configured".

Options:
  -s, --server <url>           a running ATP server (e.g. http://127.0.0.1:3333)
      --api-key <key>          sent as X-API-Key to a server with API-key auth (or ATP_API_KEY)
  -c, --config <file>          config file; default ./atp.config.yaml when present
      --openapi, --graphql, --mcp, --redis, --rules, --audit   as for \`atp serve\` (in-process only)
      --timeout <ms>           execution timeout (clamped by the server)
      --json                   print the whole execution result (status, result, error, logs, stats) as JSON
      --log-level <level>      server log level for the in-process gateway (default warn)
  -h, --help                   this help
`;

export async function execCommand(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'exec',
    args,
    {
      ...GATEWAY_OPTIONS,
      server: { type: 'string', short: 's' },
      'api-key': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (values.help) {
    context.stdout.write(EXEC_HELP);
    return ExitCode.OK;
  }
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0) {
    throw usageError(
      'atp exec expects one file (or - for stdin), e.g. `atp exec agent.ts --server http://127.0.0.1:3333`',
    );
  }
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    throw usageError(`--timeout expects a positive number of milliseconds (got "${values.timeout}")`);
  }
  const code = await readCode(source, context.cwd, context.stdin);
  const { config, notices } = await resolveConfig(values.config, gatewayFlagsOf(values), context);
  for (const notice of notices) context.stderr.write(`notice: ${notice}\n`);

  let gateway: Gateway | undefined;
  let baseUrl = values.server;
  try {
    if (!baseUrl) {
      // Agent log lines are printed by exec itself (live, from the stream), not by the gateway's log.
      const logger = commandLogger(values['log-level'], config.server.logLevel, context, {
        agentLogs: false,
      });
      const progress = createProgress(context.stderr);
      gateway = await buildGateway(
        {
          ...config,
          inspector: false,
          server: {
            ...config.server,
            port: 0,
            host: '127.0.0.1',
            mcpPath: false,
            inspector: { enabled: false },
            jwtSecret: ephemeralSecret(config, context.env),
          },
        },
        { logger, progress },
      );
      baseUrl = await gateway.listen();
      progress.stop();
    }
    const apiKey = values['api-key'] ?? context.env.ATP_API_KEY;
    const client = new AgentToolProtocolClient({ baseUrl, headers: apiKey ? { 'x-api-key': apiKey } : {} });
    const llm = llmConfigFrom(config.llm, context.env);
    client.provideLLM(llm ? createOpenAICompatibleLLM(llm) : createUnconfiguredLLM());
    let result: ExecutionResult;
    const json = Boolean(values.json);
    const output = new ExecOutput(context.stderr, { logs: !json });
    try {
      await client.init({ name: 'atp-cli' });
      output.start();
      result = await client.executeStream(code, {
        ...(timeout ? { timeout } : {}),
        onLog: output.onLog,
        onProgress: output.onProgress,
      });
    } catch (error) {
      output.stop();
      throw new CLIError(`ATP server at ${baseUrl}: ${errorMessage(error)}`, {
        exitCode: ExitCode.SERVER,
        code: 'SERVER_ERROR',
        cause: error,
      });
    }
    // Clear the live status line first: on a terminal stdout and stderr share the screen.
    output.stop();
    if (json) context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.status === 'completed' && result.result !== undefined) {
      context.stdout.write(`${JSON.stringify(result.result, null, 2)}\n`);
    }
    output.finish(result);
    return result.status === 'completed' ? ExitCode.OK : ExitCode.EXECUTION_FAILED;
  } finally {
    await gateway?.close();
  }
}

async function readCode(source: string, cwd: string, stdin: Readable): Promise<string> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
  const path = resolve(cwd, source);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : errorMessage(error)}`,
    );
  }
}
