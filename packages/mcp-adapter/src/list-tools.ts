import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

const MAX_PAGES = 1_000;

/** Every tool of the server, following `nextCursor` until the last page. */
export async function listAllTools(client: Client, timeoutMs: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, {
      timeout: timeoutMs,
    });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined || cursor === '') return tools;
    if (seenCursors.has(cursor)) throw new Error(`tools/list returned the cursor "${cursor}" twice`);
    seenCursors.add(cursor);
  }
  throw new Error(`tools/list did not end after ${MAX_PAGES} pages`);
}
