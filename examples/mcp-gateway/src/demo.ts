// An agent's side: the same cross-server snippet through the ATP client SDK and through MCP (execute_code).
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { sampleFilesDir } from './mcp-servers.ts';
import { salesByWeatherSnippet } from './snippet.ts';

export async function runDemo(baseUrl: string, dataDir = sampleFilesDir): Promise<void> {
  const code = salesByWeatherSnippet(dataDir);

  // 1. ATP over HTTP with the client SDK.
  const atp = new AgentToolProtocolClient({ baseUrl });
  const { token } = await atp.init({ name: 'mcp-gateway-demo' });
  const hits = await atp.searchQuery('read the contents of a text file');
  console.log(
    'search →',
    hits
      .slice(0, 3)
      .map((hit) => `${hit.apiGroup}.${hit.functionName}`)
      .join(', '),
  );
  const viaAtp = await atp.execute(code);
  console.log(`\n[ATP client] status: ${viaAtp.status}, ${viaAtp.stats.toolCallsCount} tool calls`);
  if (viaAtp.status !== 'completed') throw new Error(`the snippet failed: ${JSON.stringify(viaAtp.error)}`);
  console.log(JSON.stringify(viaAtp.result, null, 2));

  // 2. The same gateway as an MCP server: what Claude Desktop or Cursor would see at /mcp. It asks for
  // the same credentials as /api: here the client token from init (the session then acts as that client).
  const mcp = new Client({ name: 'mcp-gateway-demo', version: '1.0.0' });
  await mcp.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  try {
    const { tools } = await mcp.listTools();
    console.log(`\n[MCP client] tools at ${baseUrl}/mcp: ${tools.map((tool) => tool.name).join(', ')}`);
    const answer = await mcp.callTool({ name: 'execute_code', arguments: { code } });
    const text = (answer.content as Array<{ type: string; text?: string }>)[0]?.text ?? '';
    const parsed = JSON.parse(text) as {
      status: string;
      result: { charactersRead: number; byCity: Array<{ city: string; revenue: number }> };
    };
    console.log(
      `[MCP client] execute_code status: ${parsed.status}: ${text.length} characters reach the model ` +
        `instead of the ${parsed.result.charactersRead} characters of CSV the code read`,
    );
    console.log(parsed.result.byCity.map((row) => `  ${row.city}: ${row.revenue}`).join('\n'));
  } finally {
    await mcp.close();
  }
}

if (import.meta.main) {
  await runDemo(process.env.ATP_URL ?? 'http://127.0.0.1:3334');
}
