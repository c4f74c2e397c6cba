// The ATP server: loads a GraphQL API as one API group and serves it to agents.
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';

export interface AtpServerOptions {
  name: string;
  url: string;
  schemaFile?: string | undefined;
  tokenEnvVar: string;
  port: number;
}

export interface RunningAtpServer {
  server: AgentToolProtocolServer;
  url: string;
  functionNames: string[];
  close(): Promise<void>;
}

export async function startAtpServer(options: AtpServerOptions): Promise<RunningAtpServer> {
  const group = await loadGraphQL({
    name: options.name,
    // The endpoint is introspected for the schema unless a schema file is given.
    url: options.url,
    ...(options.schemaFile ? { path: options.schemaFile } : {}),
    // The token stays on the server: agent code, results, errors and logs never see it.
    auth: { scheme: 'bearer', envVar: options.tokenEnvVar },
  });
  const server = createServer({
    // A fixed development secret keeps client tokens valid across restarts; production sets ATP_JWT_SECRET.
    auth: { jwtSecret: process.env.ATP_JWT_SECRET ?? 'graphql-example-development-secret' },
    execution: {
      timeout: 30_000,
      // Mutations are writes: this rule makes each one wait for the client's approval.
      rules: { requireApproval: [`${options.name}.mutation_*`] },
    },
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
