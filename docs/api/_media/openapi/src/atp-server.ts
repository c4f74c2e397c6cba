// The ATP server: loads an OpenAPI spec as one API group and serves it to agents.
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { ToolCallContext, ToolCallDecision } from '@agent-tool-protocol/protocol';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';

export interface AtpServerOptions {
  name: string;
  spec: string;
  baseUrl?: string | undefined;
  tokenEnvVar: string;
  port: number;
}

export interface RunningAtpServer {
  server: AgentToolProtocolServer;
  url: string;
  functionNames: string[];
  close(): Promise<void>;
}

/** Destructive operations (DELETE, or `x-atp-operation-type: destructive`) wait for the client's approval. */
function askBeforeDestructiveCalls(context: ToolCallContext): ToolCallDecision {
  if (context.metadata.operationType !== 'destructive') return { action: 'allow' };
  return { action: 'approve', message: `Allow ${context.path}(${JSON.stringify(context.input)})?` };
}

export async function startAtpServer(options: AtpServerOptions): Promise<RunningAtpServer> {
  const group = await loadOpenAPI({
    name: options.name,
    ...(/^https?:\/\//.test(options.spec) ? { url: options.spec } : { path: options.spec }),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // The token stays on the server: agent code, results, errors and logs never see it.
    auth: { scheme: 'bearer', envVar: options.tokenEnvVar },
  });
  const server = createServer({
    // A fixed development secret keeps client tokens valid across restarts; production sets ATP_JWT_SECRET.
    auth: { jwtSecret: process.env.ATP_JWT_SECRET ?? 'openapi-example-development-secret' },
    execution: { timeout: 30_000, hooks: { beforeToolCall: askBeforeDestructiveCalls } },
    logger: { level: process.env.ATP_LOG_LEVEL ?? 'warn' },
  });
  server.addAPIGroup(group);
  await server.listen(options.port);
  return {
    server,
    url: server.url!,
    functionNames: group.functions.map((fn) => fn.name),
    close: () => server.shutdown(5_000),
  };
}
