import type { CreateMessageRequestParamsBase } from '@modelcontextprotocol/sdk/types.js';
import { type CallbackContext, requestOptions } from './peer.js';

type Options = Record<string, unknown>;

const asOptions = (value: unknown): Options =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Options) : {};

/** Sampling parameters from the options agent code passed to `atp.llm.*`. */
function samplingParams(
  prompt: string,
  options: Options,
  context: CallbackContext,
  systemPrompt?: string,
): CreateMessageRequestParamsBase {
  const given = options.system ?? options.systemPrompt;
  const system = [typeof given === 'string' ? given : undefined, systemPrompt].filter(Boolean).join('\n\n');
  const maxTokens =
    typeof options.maxTokens === 'number' ? Math.floor(options.maxTokens) : context.defaultMaxTokens;
  return {
    messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
    maxTokens: maxTokens > 0 ? maxTokens : context.defaultMaxTokens,
    ...(system ? { systemPrompt: system } : {}),
    ...(typeof options.temperature === 'number' ? { temperature: options.temperature } : {}),
    ...(Array.isArray(options.stopSequences) ? { stopSequences: options.stopSequences.map(String) } : {}),
    ...(typeof options.model === 'string' ? { modelPreferences: { hints: [{ name: options.model }] } } : {}),
  };
}

/** Sends one sampling request and returns the text of the answer. */
async function sampleText(params: CreateMessageRequestParamsBase, context: CallbackContext): Promise<string> {
  const result = await context.peer.createMessage(params, requestOptions(context));
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  const texts = blocks.flatMap((block) => (block.type === 'text' ? [block.text] : []));
  if (texts.length === 0) {
    throw new Error(
      `the sampled message has no text content (got ${blocks.map((block) => block.type).join(', ')})`,
    );
  }
  return texts.join('');
}

export function sampleCall(payload: Options, context: CallbackContext): Promise<string> {
  return sampleText(samplingParams(String(payload.prompt), asOptions(payload.options), context), context);
}

/** A JSON value from model text that may wrap it in prose or a ``` fence. */
export function parseJsonAnswer(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = (fenced?.[1] ?? text).trim();
  try {
    return JSON.parse(candidate);
  } catch {
    const start = candidate.search(/[{[]/);
    const end = Math.max(candidate.lastIndexOf('}'), candidate.lastIndexOf(']'));
    if (start >= 0 && end > start) {
      try {
        return JSON.parse(candidate.slice(start, end + 1));
      } catch {
        // fall through to the error below
      }
    }
    throw new Error(`the sampled answer is not JSON: ${text.slice(0, 200)}`);
  }
}

export async function sampleExtract(payload: Options, context: CallbackContext): Promise<unknown> {
  const system =
    'Answer with a single JSON value that matches this JSON Schema, and nothing else:\n' +
    JSON.stringify(payload.schema);
  const text = await sampleText(
    samplingParams(String(payload.prompt), asOptions(payload.options), context, system),
    context,
  );
  return parseJsonAnswer(text);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The category the answer names: an exact match first, else the longest category it mentions. */
export function matchCategory(answer: string, categories: readonly string[]): string | undefined {
  const normalized = answer
    .trim()
    .replace(/^["'`]|["'`.]$/g, '')
    .trim()
    .toLowerCase();
  const exact = categories.find((category) => category.toLowerCase() === normalized);
  if (exact !== undefined) return exact;
  const mentions = (category: string) =>
    new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(category.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(
      normalized,
    );
  return [...categories].sort((a, b) => b.length - a.length).find(mentions);
}

export async function sampleClassify(payload: Options, context: CallbackContext): Promise<string> {
  const categories = Array.isArray(payload.categories) ? payload.categories.map(String) : [];
  const prompt =
    `Classify the text into exactly one of these categories: ${categories.join(', ')}.\n` +
    `Answer with the category only.\n\nText:\n${String(payload.text)}`;
  const answer = await sampleText(samplingParams(prompt, asOptions(payload.options), context), context);
  const category = matchCategory(answer, categories);
  if (category === undefined) {
    throw new Error(
      `the sampled answer "${answer.slice(0, 100)}" is none of the categories ${categories.join(', ')}`,
    );
  }
  return category;
}
