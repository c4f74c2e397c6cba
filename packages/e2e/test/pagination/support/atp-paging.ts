import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, ToolCallContext, ToolCallDecision } from '@agent-tool-protocol/protocol';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';
import { LibraryServer } from '../../../../graphql/test/helpers/library-server';
import { PAGING_SPEC, PagingAPI } from './paging-api';

const JWT_SECRET = 'pagination-e2e-jwt-secret-long-enough';

export interface PagingATP {
  readonly api: PagingAPI;
  readonly library: LibraryServer;
  readonly styles: APIGroup;
  readonly graphql: APIGroup;
  readonly server: AgentToolProtocolServer;
  /** What the runtime's beforeToolCall hook saw, in call order. */
  readonly toolCalls: ToolCallContext[];
  /** The approval questions the server's approver was asked (it denies them all). */
  readonly approvals: string[];
  client(): Promise<AgentToolProtocolClient>;
  close(): Promise<void>;
}

/**
 * A real ATP server with two groups: `styles` (loadOpenAPI over PAGING_SPEC, calling a local PagingAPI) and
 * `library` (loadGraphQL introspecting a local graphql-js server with a Relay `books` connection).
 */
export async function startPagingATP(): Promise<PagingATP> {
  const toolCalls: ToolCallContext[] = [];
  const approvals: string[] = [];
  const api = await new PagingAPI().start();
  const library = await new LibraryServer().start();
  const styles = await loadOpenAPI({ name: 'styles', spec: PAGING_SPEC, baseUrl: api.url, retry: false });
  const graphql = await loadGraphQL(library.url, { name: 'library', retry: false });
  // A policy that wants approval for reading past the 8th item of the numbered listing in pages of 4 (page
  // 3); the approver denies.
  const beforeToolCall = (context: ToolCallContext): ToolCallDecision => {
    toolCalls.push(context);
    const { page, page_size } = (context.input ?? {}) as { page?: unknown; page_size?: unknown };
    return context.path === 'api.styles.numbered.listNumbered' && page_size === 4 && page === 3
      ? { action: 'approve', message: `Read page ${page} of ${context.path}?` }
      : { action: 'allow' };
  };
  const server = createServer({
    auth: { jwtSecret: JWT_SECRET },
    execution: {
      isolatePoolSize: 1,
      hooks: { beforeToolCall },
      onApproval: async ({ message }) => {
        approvals.push(message);
        return { approved: false, reason: 'not today' };
      },
    },
  });
  server.addAPIGroup(styles);
  server.addAPIGroup(graphql);
  await server.listen(0);
  return {
    api,
    library,
    styles,
    graphql,
    server,
    toolCalls,
    approvals,
    client: async () => {
      const client = new AgentToolProtocolClient({ baseUrl: server.url! });
      await client.init({ name: 'pagination-e2e' });
      return client;
    },
    close: async () => {
      await server.shutdown(1_000);
      await api.stop();
      await library.stop();
    },
  };
}
