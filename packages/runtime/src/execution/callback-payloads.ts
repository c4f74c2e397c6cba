import {
  CALLBACK_PAYLOAD_SCHEMAS,
  type CallbackKind,
  ErrorCode,
  type SandboxErrorInfo,
} from '@agent-tool-protocol/protocol';

/** Sandbox ops that become client callbacks, with the PROTOCOL.md type/operation they map to. */
export const CALLBACK_OPS = {
  'llm.call': { type: 'llm', operation: 'call', service: 'hasLLM', what: 'an LLM' },
  'llm.extract': { type: 'llm', operation: 'extract', service: 'hasLLM', what: 'an LLM' },
  'llm.classify': { type: 'llm', operation: 'classify', service: 'hasLLM', what: 'an LLM' },
  'approval.request': { type: 'approval', operation: 'request', service: 'hasApproval', what: 'an approver' },
  'embedding.embed': { type: 'embedding', operation: 'embed', service: 'hasEmbedding', what: 'embeddings' },
  'embedding.search': { type: 'embedding', operation: 'search', service: 'hasEmbedding', what: 'embeddings' },
} as const;
export type CallbackOp = keyof typeof CALLBACK_OPS;

export function isCallbackOp(op: string): op is CallbackOp {
  return Object.hasOwn(CALLBACK_OPS, op);
}

type Payload = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{a, b, ...rest}` + extra options → the named fields and `options` holding the rest. */
function split(input: Record<string, unknown>, named: string[], extra: unknown): Payload {
  const payload: Payload = {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (named.includes(key)) payload[key] = value;
    else if (key !== 'options') options[key] = value;
  }
  if (isRecord(input.options)) Object.assign(options, input.options);
  if (isRecord(extra)) Object.assign(options, extra);
  if (Object.keys(options).length > 0) payload.options = options;
  return payload;
}

/**
 * Builds the PROTOCOL.md payload from what agent code passed. Accepted forms:
 * `llm.call(prompt, options?)` or `llm.call({prompt, ...options})`;
 * `llm.extract({prompt, schema, ...options})` or `llm.extract(prompt, schema)`;
 * `llm.classify({text, categories, ...options})` or `llm.classify(text, categories)`;
 * `approval.request(message, context?)`; `embedding.embed(text)`; `embedding.search(query, options?)`.
 * Returns an error message naming the bad field when the payload does not match the protocol.
 */
export function buildCallbackPayload(
  op: CallbackOp,
  args: Record<string, unknown>,
  executionId: string,
): { payload: Payload } | { error: string } {
  let payload: Payload;
  const input = args.input;
  switch (op) {
    case 'llm.call':
      payload = isRecord(input)
        ? split(input, ['prompt'], args.options)
        : split({ prompt: input }, ['prompt'], args.options);
      break;
    case 'llm.extract':
      payload = isRecord(input)
        ? split(input, ['prompt', 'schema'], args.options)
        : { prompt: input, schema: args.options };
      break;
    case 'llm.classify':
      payload = isRecord(input)
        ? split(input, ['text', 'categories'], args.options)
        : { text: input, categories: args.options };
      break;
    case 'approval.request':
      payload = { message: args.message, executionId };
      if (args.context !== undefined && args.context !== null) payload.context = args.context;
      break;
    default:
      payload = { ...args };
  }
  const kind = `${CALLBACK_OPS[op].type}/${CALLBACK_OPS[op].operation}` as CallbackKind;
  const parsed = CALLBACK_PAYLOAD_SCHEMAS[kind].safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
    return { error: `Invalid input for atp.${op}: ${issues.join('; ')}` };
  }
  return { payload };
}

/**
 * The error for a callback whose payload is larger than `maxBytes` as JSON (the client would receive
 * it, and a paused execution keeps it); undefined when it fits.
 */
export function oversizedPayload(
  what: string,
  payload: Record<string, unknown>,
  maxBytes: number,
): SandboxErrorInfo | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(payload) ?? '');
  if (bytes <= maxBytes) return undefined;
  return {
    name: 'RangeError',
    message: `${what}: the callback payload is ${bytes} bytes, more than the server's quota of ${maxBytes} bytes (quotas.callbacks.maxPayloadBytes)`,
    code: ErrorCode.QUOTA_EXCEEDED,
    details: { quota: 'quotas.callbacks.maxPayloadBytes', limit: maxBytes, used: bytes },
  };
}
