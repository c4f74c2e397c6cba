import type { ClientLLMProvider, LLMAnswer } from '@agent-tool-protocol/client';
import type { JSONSchema } from '@agent-tool-protocol/protocol';
import type { LLMConfig } from './config-schema.js';
import type { Environment } from './env-interpolation.js';
import { errorMessage } from './errors.js';

export const NO_LLM_MESSAGE =
  'no LLM configured: add an `llm` section (baseUrl, model, apiKey) to atp.config.yaml, or set ATP_LLM_BASE_URL and ATP_LLM_MODEL (and OPENAI_API_KEY or ATP_LLM_API_KEY)';

/** The `llm` config section, or one built from `ATP_LLM_*` / `OPENAI_*` environment variables. */
export function llmConfigFrom(config: LLMConfig | undefined, env: Environment): LLMConfig | undefined {
  if (config) return config;
  const baseUrl =
    env.ATP_LLM_BASE_URL ??
    (env.OPENAI_API_KEY ? (env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1') : undefined);
  const model = env.ATP_LLM_MODEL ?? (env.OPENAI_API_KEY ? 'gpt-4o-mini' : undefined);
  if (!baseUrl || !model) return undefined;
  const apiKey = env.ATP_LLM_API_KEY ?? env.OPENAI_API_KEY;
  return { baseUrl, model, ...(apiKey ? { apiKey } : {}) };
}

/** Answers `atp.llm.*` with an OpenAI-compatible `/chat/completions` endpoint. */
export function createOpenAICompatibleLLM(
  config: LLMConfig,
  fetchImpl: typeof fetch = fetch,
): ClientLLMProvider {
  const complete = async (
    messages: Array<{ role: string; content: string }>,
    options: Record<string, unknown> = {},
  ) => {
    const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const body = {
      model: typeof options.model === 'string' ? options.model : config.model,
      messages,
      ...(config.temperature !== undefined || typeof options.temperature === 'number'
        ? { temperature: typeof options.temperature === 'number' ? options.temperature : config.temperature }
        : {}),
      ...(config.maxTokens !== undefined || typeof options.maxTokens === 'number'
        ? { max_tokens: typeof options.maxTokens === 'number' ? options.maxTokens : config.maxTokens }
        : {}),
      ...(Array.isArray(options.stopSequences) ? { stop: options.stopSequences } : {}),
    };
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
          ...config.headers,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs ?? 120_000),
      });
    } catch (error) {
      throw new Error(`LLM request to ${url} failed: ${errorMessage(error)}`);
    }
    const text = await response.text();
    if (!response.ok)
      throw new Error(`LLM at ${url} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    const parsed = JSON.parse(text) as {
      choices?: Array<{ message?: { content?: string } }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number };
    };
    const content = parsed.choices?.[0]?.message?.content;
    if (typeof content !== 'string')
      throw new Error(`LLM at ${url} answered without choices[0].message.content`);
    const answer: LLMAnswer = { text: content };
    if (parsed.usage) {
      answer.usage = {
        ...(parsed.usage.prompt_tokens !== undefined ? { inputTokens: parsed.usage.prompt_tokens } : {}),
        ...(parsed.usage.completion_tokens !== undefined
          ? { outputTokens: parsed.usage.completion_tokens }
          : {}),
      };
    }
    return answer;
  };
  const withSystem = (prompt: string, system: unknown) => [
    ...(typeof system === 'string' ? [{ role: 'system', content: system }] : []),
    { role: 'user', content: prompt },
  ];
  return {
    call: (prompt, options = {}) => complete(withSystem(prompt, options.system), options),
    extract: async (prompt: string, schema: JSONSchema, options: Record<string, unknown> = {}) => {
      const system = `Answer with JSON only (no prose, no code fence) matching this JSON Schema:\n${JSON.stringify(schema)}`;
      const { text } = await complete(withSystem(prompt, system), options);
      return parseJsonAnswer(text);
    },
    classify: async (text, categories, options = {}) => {
      const system = `Classify the user's text. Answer with exactly one of: ${categories.join(', ')}.`;
      return complete(withSystem(text, system), options);
    },
  };
}

/** A provider whose every call fails with a message saying how to configure one. */
export function createUnconfiguredLLM(): ClientLLMProvider {
  const fail = async (): Promise<never> => {
    throw new Error(NO_LLM_MESSAGE);
  };
  return { call: fail, extract: fail, classify: fail };
}

function parseJsonAnswer(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = (fenced?.[1] ?? text).trim();
  try {
    return JSON.parse(candidate);
  } catch {
    throw new Error(`the LLM did not answer JSON: ${candidate.slice(0, 200)}`);
  }
}
