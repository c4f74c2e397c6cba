// A long-running execution with a live progress bar: the agent code reports `atp.progress` and
// `atp.log`, the server streams them as server-sent events, and `executeStream` hands them to us.
// Uses the server at ATP_URL, or starts one in this process when ATP_URL is not set.
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { createServer } from '@agent-tool-protocol/server';
import { createDeskAPI } from './desk-api.ts';

let server: ReturnType<typeof createServer> | undefined;
let baseUrl = process.env.ATP_URL;
if (!baseUrl) {
  server = createServer({
    auth: { jwtSecret: 'quickstart-development-secret' },
    execution: { timeout: 60_000 },
    logger: { level: 'warn' },
  });
  server.addAPIGroup(createDeskAPI());
  await server.listen(0);
  baseUrl = server.url!;
}

const client = new AgentToolProtocolClient({ baseUrl });
// A stand-in LLM that reports token usage, as a real provider's wrapper would.
client.provideLLM({
  call: async (prompt) => ({
    text: `${prompt.split(/\s+/).length} words reviewed`,
    usage: { inputTokens: Math.ceil(prompt.length / 4), outputTokens: 4 },
  }),
});
await client.init({ name: 'quickstart-progress' });

const WIDTH = 30;
function draw(fraction: number, message: string): void {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  const line = `[${bar}] ${String(Math.round(fraction * 100)).padStart(3)}%  ${message}`;
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`);
  else console.log(line);
}

// Reviews every open ticket's comment thread, pausing for the client LLM halfway through.
const code = `
  const open = await api.desk.tickets.search({ status: 'open' });
  atp.log.info('reviewing ' + open.length + ' open tickets');
  const threads = [];
  for (const [i, ticket] of open.entries()) {
    threads.push(await api.desk.comments.list({ ticketId: ticket.id }));
    await new Promise((resolve) => setTimeout(resolve, 25)); // a slow upstream, to watch the bar move
    atp.progress.report('ticket ' + ticket.id, (i + 1) / (open.length + 1));
  }
  const busiest = open[threads.findIndex((t) => t.length === Math.max(...threads.map((x) => x.length)))];
  const verdict = await atp.llm.call('Summarise the thread of ' + busiest.title);
  atp.progress.report('done', 1);
  return { reviewed: open.length, busiest: busiest.id, verdict };
`;

const result = await client.executeStream(code, {
  onProgress: (event) => draw(event.fraction ?? 0, event.message),
  onLog: (entry) => {
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
    console.log(`[agent ${entry.level}] ${entry.message}`);
  },
});
if (process.stdout.isTTY) process.stdout.write('\n');

console.log(`status: ${result.status}`);
console.log(JSON.stringify(result.status === 'completed' ? result.result : result.error, null, 2));
const { duration, toolCallsCount, llmCallsCount, inputTokens, outputTokens, bytesReturned } = result.stats;
console.log(
  `${Math.round(duration)} ms in the sandbox, ${toolCallsCount} API calls, ${llmCallsCount} LLM calls, ` +
    `${inputTokens ?? 0}+${outputTokens ?? 0} tokens, ${bytesReturned ?? 0} bytes returned`,
);
await server?.shutdown(1_000);
