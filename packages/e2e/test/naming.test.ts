// The public names: `createX` factories for what users construct, upper-case acronyms everywhere, and the
// names from before kept as deprecated aliases that are the same values.

import * as cli from '@agent-tool-protocol/cli';
import * as client from '@agent-tool-protocol/client';
import * as engine from '@agent-tool-protocol/engine';
import * as mcp from '@agent-tool-protocol/mcp-adapter';
import * as protocol from '@agent-tool-protocol/protocol';
import * as providers from '@agent-tool-protocol/providers';
import * as server from '@agent-tool-protocol/server';
import * as typecheck from '@agent-tool-protocol/typecheck';

describe('public names', () => {
  it('keeps every renamed export as the same value under its old name', () => {
    expect(protocol.AtpError).toBe(protocol.ATPError);
    expect(protocol.isAtpError).toBe(protocol.isATPError);
    expect(protocol.canonicalJson).toBe(protocol.canonicalJSON);
    expect(engine.AtpEngine).toBe(engine.ATPEngine);
    expect(server.AtpEngine).toBe(engine.ATPEngine);
    expect(mcp.createATPMcpServer).toBe(mcp.createATPMCPServer);
    expect(mcp.createATPMcpHttpHandler).toBe(mcp.createATPMCPHTTPHandler);
    expect(mcp.ATPMcpServerOptionsSchema).toBe(mcp.ATPMCPServerOptionsSchema);
    expect(mcp.HttpServerConfigSchema).toBe(mcp.HTTPServerConfigSchema);
    expect(providers.ApiKeyAuthProvider).toBe(providers.APIKeyAuthProvider);
    expect(providers.createPkcePair).toBe(providers.createPKCEPair);
    expect(cli.AtpConfigSchema).toBe(cli.ATPConfigSchema);
    expect(cli.CliError).toBe(cli.CLIError);
    expect(cli.runCli).toBe(cli.runCLI);
    expect(new protocol.AtpError('X', 'old name')).toBeInstanceOf(protocol.ATPError);
  });

  it('builds what users construct with createX factories', async () => {
    expect(protocol.createMemoryCache()).toBeInstanceOf(protocol.MemoryCache);
    expect(client.createClient({ baseUrl: 'http://127.0.0.1:1' })).toBeInstanceOf(
      client.AgentToolProtocolClient,
    );
    expect(mcp.createMCPConnector()).toBeInstanceOf(mcp.MCPConnector);
    expect(typecheck.createAgentTypeChecker()).toBeInstanceOf(typecheck.AgentTypeChecker);
    expect(providers.createAPIKeyAuthProvider({ keys: ['a-key-of-sixteen-chars'] })).toBeInstanceOf(
      providers.APIKeyAuthProvider,
    );
    expect(providers.createRedisCache({ redis: 'redis://127.0.0.1:1' })).toBeInstanceOf(providers.RedisCache);
    const github = providers.createGitHubOAuthProvider({ clientId: 'id', clientSecret: 'secret' });
    expect(github).toBeInstanceOf(providers.GitHubOAuthProvider);
    const created = server.createServer({ auth: { jwtSecret: 'a-secret-of-sixteen+' } });
    expect(created).toBeInstanceOf(server.AgentToolProtocolServer);
    const built = engine.createEngine({ execution: { isolatePoolSize: 0 } });
    expect(built).toBeInstanceOf(engine.ATPEngine);
    await built.shutdown(10);
  });

  it('writes acronyms in upper case in every exported name', () => {
    const mixed = /(Atp|Api|Mcp|Http|Llm|Jwt|Jsonl?|Pkce|Cli|Sse)(?=[A-Z]|$)/;
    const exported = [client, cli, engine, mcp, protocol, providers, server, typecheck].flatMap((module) =>
      Object.keys(module),
    );
    const deprecated = new Set([
      'AtpError',
      'isAtpError',
      'canonicalJson',
      'AtpEngine',
      'createATPMcpServer',
      'createATPMcpHttpHandler',
      'ATPMcpServerOptionsSchema',
      'parseATPMcpServerOptions',
      'HttpServerConfigSchema',
      'ApiKeyAuthProvider',
      'createPkcePair',
      'AtpConfigSchema',
      'CliError',
      'runCli',
    ]);
    expect(exported.filter((name) => mixed.test(name) && !deprecated.has(name))).toEqual([]);
  });
});
