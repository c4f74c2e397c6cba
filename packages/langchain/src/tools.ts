import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { isATPError, ValidationError } from '@agent-tool-protocol/protocol';
import { DynamicStructuredTool } from '@langchain/core/tools';
import { z } from 'zod';
import {
  DEFINITIONS_DESCRIPTION,
  EXECUTE_DESCRIPTION,
  EXPLORE_DESCRIPTION,
  SEARCH_DESCRIPTION,
} from './descriptions.js';
import { ExecuteRunner } from './execute-runner.js';
import { formatExplore, formatSearchResults } from './format-discovery.js';
import { formatExecutionResult } from './format-execution.js';
import {
  type ATPToolKind,
  type ATPToolsOptions,
  parseToolsOptions,
  type ResolvedATPToolsOptions,
} from './options.js';
import { withToolPrefix } from './tool-names.js';
import { truncate } from './truncate.js';

const DEFAULT_TOOLS: ATPToolKind[] = ['search', 'explore', 'execute'];

/** Server refusals (bad input, rate limits, an unreachable server) become answers the model can act on. */
async function answerOrExplain(work: () => Promise<string>): Promise<string> {
  try {
    return await work();
  } catch (error) {
    if (!isATPError(error)) throw error;
    const retry = error.retryable ? ' This may work if tried again later.' : '';
    return `error (${error.code}): ${error.message}${retry}`;
  }
}

function searchTool(client: AgentToolProtocolClient, options: ResolvedATPToolsOptions) {
  return new DynamicStructuredTool({
    name: `${options.namePrefix}search_api`,
    description: withToolPrefix(options.descriptions.search ?? SEARCH_DESCRIPTION, options.namePrefix),
    schema: z.object({
      query: z.string().min(1).describe('What the function should do, e.g. "list open tickets"'),
      maxResults: z
        .number()
        .int()
        .min(1)
        .max(50)
        .optional()
        .describe(`How many hits (default ${options.searchResults})`),
    }),
    func: ({ query, maxResults }) =>
      answerOrExplain(async () => {
        const results = await client.searchQuery(query, {
          maxResults: maxResults ?? options.searchResults,
          ...(options.apiGroups ? { apiGroups: options.apiGroups } : {}),
        });
        return formatSearchResults(query, results, options.maxResultChars, options.namePrefix);
      }),
  });
}

function exploreTool(client: AgentToolProtocolClient, options: ResolvedATPToolsOptions) {
  return new DynamicStructuredTool({
    name: `${options.namePrefix}explore_api`,
    description: withToolPrefix(options.descriptions.explore ?? EXPLORE_DESCRIPTION, options.namePrefix),
    schema: z.object({
      path: z
        .string()
        .default('/')
        .describe('A path in the API tree: "/", "/custom/desk", "/custom/desk/tickets/search"'),
    }),
    func: ({ path }) =>
      answerOrExplain(async () =>
        formatExplore(await client.exploreAPI(path || '/'), options.maxResultChars, options.namePrefix),
      ),
  });
}

function definitionsTool(client: AgentToolProtocolClient, options: ResolvedATPToolsOptions) {
  return new DynamicStructuredTool({
    name: `${options.namePrefix}get_definitions`,
    description: withToolPrefix(
      options.descriptions.definitions ?? DEFINITIONS_DESCRIPTION,
      options.namePrefix,
    ),
    schema: z.object({
      apiGroups: z.array(z.string()).optional().describe('Only these API groups (default: all)'),
    }),
    func: ({ apiGroups }) =>
      answerOrExplain(async () => {
        const groups = apiGroups?.length ? apiGroups : options.apiGroups;
        const [api, runtime] = await Promise.all([
          client.getTypeDefinitions(groups ? { apiGroups: groups } : {}),
          client.getRuntimeDefinitions(),
        ]);
        return truncate(
          `${api}\n${runtime}`,
          options.maxResultChars,
          withToolPrefix('Ask for fewer apiGroups, or use atp_explore_api.', options.namePrefix),
        );
      }),
  });
}

function executeTool(client: AgentToolProtocolClient, options: ResolvedATPToolsOptions) {
  const runner = new ExecuteRunner(client);
  return new DynamicStructuredTool({
    name: `${options.namePrefix}execute_code`,
    description: withToolPrefix(options.descriptions.execute ?? EXECUTE_DESCRIPTION, options.namePrefix),
    schema: z.object({
      code: z.string().min(1).describe('The body of an async function; end it with `return <value>`'),
      timeoutMs: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Wall-clock limit in ms (the server caps it)'),
    }),
    func: ({ code, timeoutMs }) =>
      answerOrExplain(async () => {
        const config = { ...options.executionConfig, ...(timeoutMs ? { timeout: timeoutMs } : {}) };
        const result = await runner.run(code, config);
        return formatExecutionResult(result, options);
      }),
  });
}

const FACTORIES: Record<
  ATPToolKind,
  (client: AgentToolProtocolClient, options: ResolvedATPToolsOptions) => DynamicStructuredTool
> = {
  search: searchTool,
  explore: exploreTool,
  execute: executeTool,
  definitions: definitionsTool,
};

/**
 * ATP as LangChain tools: `atp_search_api`, `atp_explore_api`, `atp_execute_code` (and, when asked
 * for, `atp_get_definitions`). The client must be initialised (`await client.init()`) before the
 * tools run; provide its LLM, approval and embedding services first so agent code can use `atp.*`.
 */
export function createATPTools(
  client: AgentToolProtocolClient,
  options: ATPToolsOptions = {},
): DynamicStructuredTool[] {
  if (typeof client?.execute !== 'function') {
    throw new ValidationError(
      'createATPTools: client must be an AgentToolProtocolClient (the first argument).',
      [{ path: 'client', message: 'must be an AgentToolProtocolClient' }],
    );
  }
  const resolved = parseToolsOptions(options);
  const kinds = resolved.tools ?? DEFAULT_TOOLS;
  return [...new Set(kinds)].map((kind) => FACTORIES[kind](client, resolved));
}
