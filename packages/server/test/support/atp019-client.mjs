// Drives an ATP server with the published ATP 0.19 client, in its own process. Prints one JSON line.
import { AgentToolProtocolClient } from '@mondaydotcomorg/atp-client';

const baseUrl = process.argv[2];
const client = new AgentToolProtocolClient({ baseUrl });
let llmCalls = 0;
client.provideLLM({
  call: async (prompt) => {
    llmCalls++;
    return `answer to ${prompt}`;
  },
});
await client.init({ name: 'atp-0.19-interop' });
const search = await client.searchAPI('list support tickets');
const apiCall = await client.execute(`
  const open = await api.tickets.list({ status: 'open' });
  return { open: open.length, first: open[0].id };
`);
const llm = await client.execute(`return await atp.llm.call({ prompt: 'hello' });`);
const several = await client.execute(`
  const answers = await Promise.all(['a', 'b', 'c'].map((p) => atp.llm.call({ prompt: p })));
  return answers;
`);
process.stdout.write(
  `${JSON.stringify({
    clientId: client.getClientId?.() ?? null,
    searchTop: search[0]?.functionName ?? null,
    // The blog's fields, read from what the published client returns.
    searchBlogFields: search[0]
      ? {
          name: search[0].name,
          signature: typeof search[0].signature,
          description: typeof search[0].description,
        }
      : null,
    apiCall: { status: apiCall.status, result: apiCall.result, error: apiCall.error },
    llm: { status: llm.status, result: llm.result, error: llm.error },
    several: { status: several.status, result: several.result, error: several.error },
    llmCalls,
  })}\n`,
);
