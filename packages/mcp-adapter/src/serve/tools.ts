import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ATPEngineLike, ExecutionListeners } from './engine-like.js';
import { errorResult, executionText, exploreText, searchText, textResult } from './format.js';
import type { ResolvedATPMCPServerOptions } from './options.js';
import { authRequestOf, type Extra } from './request-info.js';
import { executeBody, settleExecution } from './run-code.js';
import type { ATPClientSession } from './session.js';

const EXECUTE_DESCRIPTION = `Run JavaScript/TypeScript in the ATP sandbox and return its result.
The code is the body of an async function: use await, and \`return\` the answer.
Call APIs as \`await api.<group>.<function>(input)\` (find them with search_api / explore_api), filter and join
data in code, and return only what is needed. Runtime helpers: atp.log.info(message), atp.progress.report(message),
atp.cache.get/set, and — when this MCP client supports them — atp.llm.call/extract/classify (answered by the
client's model through MCP sampling) and atp.approval.request(message) (asked through MCP elicitation).
No require, fetch, process or file access.`;

/** Forwards `atp.progress` to MCP progress notifications when the caller asked for them. */
function progressListeners(extra: Extra): ExecutionListeners {
  const token = extra._meta?.progressToken;
  if (token === undefined) return {};
  let progress = 0;
  return {
    onProgress(event) {
      progress += 1;
      void extra
        .sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress, message: event.message },
        })
        .catch(() => undefined);
    },
  };
}

export function registerTools(
  server: McpServer,
  engine: ATPEngineLike,
  session: ATPClientSession,
  options: ResolvedATPMCPServerOptions,
): void {
  const max = options.maxResultChars;

  server.registerTool(
    'search_api',
    {
      title: 'Search APIs',
      description:
        'Find API functions by what they do. Returns how to call each one (api.<group>.<function>), its TypeScript signature and description.',
      inputSchema: {
        query: z.string().min(1).describe('What you want to do, in plain words'),
        apiGroups: z.array(z.string()).optional().describe('Only search these API groups'),
        maxResults: z
          .number()
          .int()
          .min(1)
          .max(200)
          .optional()
          .describe('At most this many results (default 10)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) => {
      try {
        const { results } = await engine.search(input);
        const found = textResult(searchText(results), max);
        if (results.length > 0) return found;
        const hint = 'No function matches. Try other words, or browse with explore_api path "/".';
        return { content: [...found.content, { type: 'text', text: hint }] };
      } catch (error) {
        return errorResult(error, max);
      }
    },
  );

  server.registerTool(
    'explore_api',
    {
      title: 'Explore APIs',
      description:
        'Browse the API tree like a file system: "/" lists the kinds of API, deeper paths list groups and functions; a function path returns its TypeScript definition.',
      inputSchema: {
        path: z.string().min(1).describe('A path such as "/", "/custom/tickets" or "/custom/tickets/list"'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) => {
      try {
        return textResult(exploreText(await engine.explore(input)), max);
      } catch (error) {
        return errorResult(error, max);
      }
    },
  );

  server.registerTool(
    'execute_code',
    {
      title: 'Execute code',
      description: EXECUTE_DESCRIPTION,
      inputSchema: {
        code: z.string().min(1).describe('The code to run; `return` the result'),
        timeout: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Wall-clock limit in milliseconds (clamped by the server)'),
      },
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async (input, extra) => {
      try {
        const listeners = progressListeners(extra);
        // Only the start is retried after a re-init: it fails before any code ran.
        const { clientId, started } = await session.withClient(authRequestOf(extra), async (clientId) => ({
          clientId,
          started: await engine.execute(clientId, executeBody(input), listeners),
        }));
        const context = {
          peer: server.server,
          relatedRequestId: extra.requestId,
          signal: extra.signal,
          timeoutMs: options.callbackTimeoutMs,
          defaultMaxTokens: options.defaultMaxTokens,
        };
        const result = await settleExecution(engine, clientId, started, context, listeners);
        return executionText(result, max, session.boundToClient);
      } catch (error) {
        options.logger.warn({ err: error }, 'execute_code failed');
        return errorResult(error, max);
      }
    },
  );
}
