// Offline stand-ins for real models, so the example runs with no API key. They are deliberately
// simple: a real model decides the same steps from the tool descriptions and results.
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

const TRIAGE_CODE = `
const urgent = await api.desk.tickets.search({ status: 'open', priority: 'urgent' });
const users = await api.desk.users.list({});
const names = Object.fromEntries(users.map((u) => [u.id, u.name]));
const perAssignee = {};
for (const t of urgent) {
  const who = t.assigneeId ? names[t.assigneeId] : 'unassigned';
  perAssignee[who] = (perAssignee[who] ?? 0) + 1;
}
// Route the unassigned ones with the client's LLM: one pause, all calls answered concurrently.
const unassigned = urgent.filter((t) => !t.assigneeId).slice(0, 5);
const teams = await Promise.all(unassigned.map((t) => atp.llm.classify(t.title, ['billing', 'technical', 'accounts'])));
return {
  urgentOpen: urgent.length,
  perAssignee,
  routing: unassigned.map((t, i) => ({ id: t.id, title: t.title, team: teams[i] })),
};`;

const toolCall = (name: string, args: Record<string, unknown>, id: string) =>
  new AIMessage({ content: '', tool_calls: [{ id, name, args, type: 'tool_call' }] });

/** A tool-calling model that follows a fixed plan: search the API, run code, then answer. */
export class ScriptedAgentModel extends BaseChatModel {
  constructor() {
    super({});
  }

  _llmType(): string {
    return 'scripted-agent';
  }

  override bindTools(): any {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const results = messages
      .filter((message) => message instanceof ToolMessage)
      .map((m) => String(m.content));
    let reply: AIMessage;
    if (results.length === 0) {
      reply = toolCall('atp_search_api', { query: 'search tickets by status and priority' }, 'call_search');
    } else if (results.length === 1) {
      reply = results[0]!.includes('api.desk.tickets.search(')
        ? toolCall('atp_execute_code', { code: TRIAGE_CODE }, 'call_execute')
        : new AIMessage('I could not find a ticket search function.');
    } else {
      reply = new AIMessage(`Here is the urgent-ticket triage:\n${results.at(-1)}`);
    }
    return { generations: [{ message: reply, text: String(reply.content) }] };
  }
}

/** Answers atp.llm.* prompts from keywords (what a real model would do with judgement). */
export class KeywordModel extends BaseChatModel {
  constructor() {
    super({});
  }

  _llmType(): string {
    return 'keyword';
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    // classify prompts end with "Text:\n<the text>"; look only at the text, not the category list.
    const prompt = String(messages.at(-1)?.content ?? '').toLowerCase();
    const subject = prompt.split('text:').at(-1) ?? prompt;
    const text = /refund|invoice|upgrade|charge/.test(subject)
      ? 'billing'
      : /password|login|account/.test(subject)
        ? 'accounts'
        : 'technical';
    return { generations: [{ message: new AIMessage(text), text }] };
  }
}
