import type { GroupSummary } from './gateway.js';

function mcpAccess(options: { mcpAnonymous?: boolean; mcpKeys?: boolean }): string {
  if (options.mcpAnonymous) return 'anonymous: anyone who can reach it can run code';
  const keys = options.mcpKeys ? ' or an API key / JWT the auth section accepts' : '';
  return `clients send Authorization: Bearer <token from POST /api/init>${keys}`;
}

/** The startup summary: where the gateway listens and what it serves. */
export function formatSummary(options: {
  url: string;
  mcpPath: string | false;
  /** /mcp serves without credentials. */
  mcpAnonymous?: boolean;
  /** The config's `auth` section is set, so its credentials open MCP sessions too. */
  mcpKeys?: boolean;
  inspectorPath?: string | undefined;
  groups: GroupSummary[];
  warnings: string[];
  configFile: string | undefined;
}): string {
  const { url, groups } = options;
  const total = groups.reduce((sum, group) => sum + group.functions, 0);
  const nameWidth = Math.max(4, ...groups.map((group) => group.name.length));
  const lines = [
    `ATP gateway listening on ${url}`,
    `  ATP API   ${url}/api${options.configFile ? `   (config: ${options.configFile})` : ''}`,
    ...(options.mcpPath !== false
      ? [`  MCP       ${url}${options.mcpPath}   (Streamable HTTP; ${mcpAccess(options)})`]
      : []),
    ...(options.inspectorPath
      ? [`  Inspector ${url}${options.inspectorPath}/   (open it in a browser)`]
      : []),
    `  ${groups.length} API group${groups.length === 1 ? '' : 's'}, ${total} function${total === 1 ? '' : 's'}${groups.length === 0 ? ' (add --openapi name=spec, --graphql name=url or --mcp "name=command")' : ':'}`,
    ...groups.map(
      (group) =>
        `    ${group.name.padEnd(nameWidth)}  ${group.kind.padEnd(7)}  ${String(group.functions).padStart(4)}  ${group.source}`,
    ),
    ...options.warnings.map((warning) => `  warning: ${warning}`),
  ];
  return `${lines.join('\n')}\n`;
}
