import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { Serialized } from '@langchain/core/load/serializable';
import type { BaseMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { llmFromChatModel } from '../src/index.js';
import { startATPServer } from './support/atp-server';

type Harness = Awaited<ReturnType<typeof startATPServer>>;

/** Records every prompt a chat model receives, through LangChain's own callbacks. */
function promptRecorder() {
  const prompts: string[] = [];
  const handler = {
    handleChatModelStart: (_llm: Serialized, messages: BaseMessage[][]) => {
      prompts.push(messages[0]!.map((message) => String(message.content)).join('\n---\n'));
    },
  };
  return { prompts, config: { callbacks: [handler] } };
}

/** A FakeListChatModel that holds every answer until `expected` calls are in flight at once. */
class GatedChatModel extends FakeListChatModel {
  inFlight = 0;
  maxInFlight = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    responses: string[],
    private readonly expected: number,
  ) {
    super({ responses });
  }
  override async _generate(...args: Parameters<FakeListChatModel['_generate']>) {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.inFlight >= this.expected) for (const release of this.waiting.splice(0)) release();
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await super._generate(...args);
    } finally {
      this.inFlight--;
    }
  }
}

describe('llmFromChatModel answers atp.llm.* with a LangChain chat model', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startATPServer();
  });
  afterAll(() => h.close());

  async function clientWith(model: FakeListChatModel, options: Parameters<typeof llmFromChatModel>[1] = {}) {
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM(
      llmFromChatModel(model, options),
    );
    await client.init();
    return client;
  }

  it('atp.llm.call, with the system prompt from the code', async () => {
    const recorder = promptRecorder();
    const client = await clientWith(new FakeListChatModel({ responses: ['Paris'] }), {
      config: recorder.config,
    });
    const result = await client.execute(
      `return await atp.llm.call('Capital of France?', { system: 'Answer in one word.' });`,
    );
    expect(result).toMatchObject({ status: 'completed', result: 'Paris' });
    expect(recorder.prompts).toEqual(['Answer in one word.\n---\nCapital of France?']);
  });

  it('atp.llm.extract through structured output when the model can call tools', async () => {
    const model = new FakeListChatModel({ responses: ['{"name":"Ada","tickets":3}'] });
    const structured = jest.spyOn(model, 'withStructuredOutput');
    const client = await clientWith(model);
    const result = await client.execute(`
      return await atp.llm.extract('Who reported the most tickets?', {
        type: 'object', properties: { name: { type: 'string' }, tickets: { type: 'number' } }, required: ['name'],
      });`);
    expect(result).toMatchObject({ status: 'completed', result: { name: 'Ada', tickets: 3 } });
    expect(structured).toHaveBeenCalledWith(expect.objectContaining({ type: 'object', required: ['name'] }), {
      name: 'extract',
    });
  });

  it('atp.llm.extract of a non-object schema wraps it for structured output and unwraps the answer', async () => {
    const client = await clientWith(new FakeListChatModel({ responses: ['{"value":["T-1","T-5"]}'] }));
    const result = await client.execute(
      `return await atp.llm.extract('Which tickets?', { type: 'array', items: { type: 'string' } });`,
    );
    expect(result).toMatchObject({ status: 'completed', result: ['T-1', 'T-5'] });
  });

  it('atp.llm.extract through a JSON-schema prompt otherwise, reading a fenced answer', async () => {
    const recorder = promptRecorder();
    const model = new FakeListChatModel({ responses: ['Sure!\n```json\n{"priority":"high"}\n```'] });
    const client = await clientWith(model, { extractWith: 'prompt', config: recorder.config });
    const result = await client.execute(`
      return await atp.llm.extract('How urgent is "site is down"?', { type: 'object', properties: { priority: { type: 'string' } } });`);
    expect(result).toMatchObject({ status: 'completed', result: { priority: 'high' } });
    expect(recorder.prompts[0]).toContain('Answer with only a JSON value that matches this JSON Schema');
    expect(recorder.prompts[0]).toContain('{"type":"object","properties":{"priority":{"type":"string"}}}');
  });

  it('atp.llm.extract falls back to the JSON-schema prompt when structured output fails', async () => {
    const recorder = promptRecorder();
    const model = new FakeListChatModel({ responses: ['no structured output here', '{"team":"billing"}'] });
    const client = await clientWith(model, { config: recorder.config });
    const result = await client.execute(`return await atp.llm.extract('Which team?', { type: 'object' });`);
    expect(result).toMatchObject({ status: 'completed', result: { team: 'billing' } });
    expect(recorder.prompts.at(-1)).toContain('Answer with only a JSON value');
  });

  it('an answer that is not JSON becomes an error inside the sandbox', async () => {
    const client = await clientWith(new FakeListChatModel({ responses: ['I am not sure.'] }), {
      extractWith: 'prompt',
    });
    const result = await client.execute(`
      try { return await atp.llm.extract('x', { type: 'object' }); } catch (error) { return 'caught: ' + error.message; }`);
    expect(result).toMatchObject({
      status: 'completed',
      result: `caught: The model's answer is not JSON: "I am not sure."`,
    });
  });

  it('atp.llm.classify matches the answer to one of the categories', async () => {
    const client = await clientWith(
      new FakeListChatModel({ responses: ['Billing.', 'The category is "technical"'] }),
    );
    const result = await client.execute(`
      const categories = ['billing', 'technical'];
      return [await atp.llm.classify('refund me', categories), await atp.llm.classify('cannot log in', categories)];`);
    expect(result).toMatchObject({ status: 'completed', result: ['billing', 'technical'] });
  });

  it('answers several atp.llm.call in parallel, concurrently, in one pause', async () => {
    const model = new GatedChatModel(['a', 'b', 'c', 'd', 'e'], 5);
    const client = await clientWith(model);
    const result = await client.execute(`
      const titles = (await api.desk.tickets.list({ status: 'open' })).slice(0, 5).map((t) => t.title);
      return await Promise.all(titles.map((title) => atp.llm.call('Summarise: ' + title)));`);
    expect(result.status).toBe('completed');
    expect((result.result as string[]).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(model.maxInFlight).toBe(5);
    expect(result.stats.llmCallsCount).toBe(5);
  });

  it('maxConcurrency caps how many model calls run at once', async () => {
    const model = new GatedChatModel(['x'], 2);
    const client = await clientWith(model, { maxConcurrency: 2 });
    const result = await client.execute(
      `return await Promise.all([1, 2, 3, 4].map((n) => atp.llm.call('n' + n)));`,
    );
    expect(result).toMatchObject({ status: 'completed', result: ['x', 'x', 'x', 'x'] });
    expect(model.maxInFlight).toBe(2);
  });

  it('rejects what is not a chat model, and bad options', () => {
    expect(() => llmFromChatModel({} as FakeListChatModel)).toThrow(/chat model/);
    expect(() => llmFromChatModel(new FakeListChatModel({ responses: [] }), { maxConcurrency: 0 })).toThrow(
      /options\.maxConcurrency/,
    );
  });
});
