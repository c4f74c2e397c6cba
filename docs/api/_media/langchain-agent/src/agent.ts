// A tool-calling agent written with @langchain/core only: the model sees three ATP tools, finds the
// API with atp_search_api and does the work in one atp_execute_code call.
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { approvalFromCallback, createATPTools, llmFromChatModel } from '@agent-tool-protocol/langchain';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  type AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  type ToolMessage,
} from '@langchain/core/messages';
import { chooseModels } from './models.ts';

const SYSTEM = `You are a support-desk assistant. Use atp_search_api to find API functions, then answer
with ONE atp_execute_code call whose code does all the fetching, filtering and counting and returns
only the numbers and rows the answer needs. Then reply to the user in a few lines.`;

export const DEFAULT_QUESTION =
  'How many urgent open tickets are there, how many does each agent have, and which team should take the unassigned ones?';

export interface RunAgentOptions {
  atpUrl: string;
  question?: string;
  agent: BaseChatModel;
  helper: BaseChatModel;
  maxSteps?: number;
  log?: (line: string) => void;
}

const preview = (text: string, max = 160) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

export async function runAgent(options: RunAgentOptions): Promise<string> {
  const log = options.log ?? console.log;
  // The two lines that make ATP available to a LangChain agent:
  const client = new AgentToolProtocolClient({ baseUrl: options.atpUrl })
    .provideLLM(llmFromChatModel(options.helper))
    .provideApproval(approvalFromCallback(() => false)); // this demo never approves writes
  await client.init({ name: 'langchain-agent-example' });
  const tools = createATPTools(client);

  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  if (typeof options.agent.bindTools !== 'function') throw new Error('The agent model cannot call tools.');
  const model = options.agent.bindTools(tools);
  const messages: BaseMessage[] = [
    new SystemMessage(SYSTEM),
    new HumanMessage(options.question ?? DEFAULT_QUESTION),
  ];

  for (let step = 0; step < (options.maxSteps ?? 8); step++) {
    const reply = (await model.invoke(messages)) as AIMessage;
    messages.push(reply);
    if (!reply.tool_calls?.length)
      return typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content);
    for (const call of reply.tool_calls) {
      log(`→ ${call.name} ${preview(JSON.stringify(call.args))}`);
      const tool = byName.get(call.name);
      const result = tool
        ? ((await tool.invoke(call)) as ToolMessage)
        : ({ content: `There is no tool named ${call.name}.`, tool_call_id: call.id } as ToolMessage);
      log(`← ${preview(String(result.content), 400)}`);
      messages.push(result);
    }
  }
  return 'The agent stopped after too many steps.';
}

if (import.meta.main) {
  const atpUrl = process.env.ATP_URL || 'http://127.0.0.1:3333';
  const models = await chooseModels();
  console.log(`ATP server: ${atpUrl}\nmodel: ${models.description}\nquestion: ${DEFAULT_QUESTION}\n`);
  const answer = await runAgent({ atpUrl, ...models });
  console.log(`\nanswer: ${answer}`);
}
