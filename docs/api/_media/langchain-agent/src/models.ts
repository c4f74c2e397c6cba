// Picks the chat model: a real provider when its API key is set, the scripted stand-ins otherwise.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { KeywordModel, ScriptedAgentModel } from './scripted-model.ts';

export interface AgentModels {
  /** The model that drives the tool-calling loop. */
  agent: BaseChatModel;
  /** The model that answers `atp.llm.*` inside the sandbox (often a smaller, cheaper one). */
  helper: BaseChatModel;
  description: string;
}

export async function chooseModels(env: NodeJS.ProcessEnv = process.env): Promise<AgentModels> {
  if (env.OPENAI_API_KEY) {
    const { ChatOpenAI } = await import('@langchain/openai');
    const model = new ChatOpenAI({ model: env.ATP_AGENT_MODEL ?? 'gpt-4o-mini', temperature: 0 });
    return { agent: model, helper: model, description: `OpenAI ${model.model}` };
  }
  if (env.ANTHROPIC_API_KEY) {
    const { ChatAnthropic } = await import('@langchain/anthropic');
    const model = new ChatAnthropic({
      model: env.ATP_AGENT_MODEL ?? 'claude-3-5-haiku-latest',
      temperature: 0,
    });
    return { agent: model, helper: model, description: `Anthropic ${model.model}` };
  }
  return {
    agent: new ScriptedAgentModel(),
    helper: new KeywordModel(),
    description: 'scripted offline model (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one)',
  };
}
