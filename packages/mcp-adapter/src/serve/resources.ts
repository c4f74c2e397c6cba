import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ATPEngineLike } from './engine-like.js';
import { authRequestOf } from './request-info.js';
import type { ATPClientSession } from './session.js';

const MIME = 'text/plain';
export const API_DEFINITIONS_URI = 'atp://definitions/api';
export const RUNTIME_DEFINITIONS_URI = 'atp://definitions/runtime';

const text = (uri: URL, body: string) => ({ contents: [{ uri: uri.href, mimeType: MIME, text: body }] });

/** TypeScript declarations as resources: every `api.*` group, one group, and this session's `atp.*`. */
export function registerResources(server: McpServer, engine: ATPEngineLike, session: ATPClientSession): void {
  server.registerResource(
    'api-definitions',
    API_DEFINITIONS_URI,
    {
      title: 'api.* declarations',
      description: 'TypeScript declarations of every API function callable as api.<group>.<function>',
      mimeType: MIME,
    },
    async (uri) => text(uri, (await engine.definitions({})).typescript),
  );

  server.registerResource(
    'api-group-definitions',
    new ResourceTemplate(`${API_DEFINITIONS_URI}/{group}`, {
      list: async () => {
        const { apiGroups } = await engine.definitions({});
        return {
          resources: apiGroups.map((group) => ({
            uri: `${API_DEFINITIONS_URI}/${encodeURIComponent(group)}`,
            name: `api.${group}`,
            description: `TypeScript declarations of api.${group}`,
            mimeType: MIME,
          })),
        };
      },
    }),
    {
      title: 'api.<group> declarations',
      description: 'TypeScript declarations of one API group',
      mimeType: MIME,
    },
    async (uri, variables) => {
      let group: string;
      try {
        group = decodeURIComponent(String(variables.group));
      } catch {
        throw new McpError(
          ErrorCode.InvalidParams,
          `${uri.href}: the group name is not valid percent-encoding`,
        );
      }
      return text(uri, (await engine.definitions({ apiGroups: [group] })).typescript);
    },
  );

  server.registerResource(
    'runtime-definitions',
    RUNTIME_DEFINITIONS_URI,
    {
      title: 'atp.* declarations',
      description: 'TypeScript declarations of the atp.* runtime helpers available to this session',
      mimeType: MIME,
    },
    async (uri, extra) =>
      text(
        uri,
        await session.withClient(authRequestOf(extra), (clientId) => engine.runtimeDefinitions(clientId)),
      ),
  );
}
