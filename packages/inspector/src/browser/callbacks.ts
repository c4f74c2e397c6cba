import type { PendingCallback } from '@agent-tool-protocol/protocol';
import { h, json } from './dom.js';

/** What the person answers a callback with: its result, or a failure the sandbox sees as a thrown Error. */
export type Answer = (result: unknown) => void;

interface LLMPayload {
  prompt?: string;
  text?: string;
  schema?: unknown;
  categories?: string[];
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`The ${what} must be JSON (${text.slice(0, 40) || 'empty'}).`);
  }
}

function textAnswer(label: string, placeholder: string, submit: (text: string) => void): HTMLElement {
  const input = h('textarea', { class: 'answer', rows: '3', placeholder, 'aria-label': label });
  const button = h('button', { type: 'submit', class: 'send' }, 'Send answer');
  const form = h('form', { class: 'answer-form' }, input, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(input.value);
  });
  return form;
}

function answerForm(callback: PendingCallback, answer: Answer, fail: (error: unknown) => void): HTMLElement {
  const kind = `${callback.type}.${callback.operation}`;
  const payload = (callback.payload ?? {}) as LLMPayload & Record<string, unknown>;
  const guarded = (produce: () => unknown) => {
    try {
      answer(produce());
    } catch (error) {
      fail(error);
    }
  };
  if (kind === 'approval.request') {
    const reason = h('input', { type: 'text', class: 'reason', placeholder: 'Reason (optional)' });
    const decide = (approved: boolean) => () =>
      answer({ approved, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) });
    const approve = h('button', { type: 'button', class: 'approve' }, 'Approve');
    const deny = h('button', { type: 'button', class: 'deny' }, 'Deny');
    approve.addEventListener('click', decide(true));
    deny.addEventListener('click', decide(false));
    return h('div', { class: 'answer-form' }, reason, approve, deny);
  }
  if (kind === 'llm.classify' && Array.isArray(payload.categories)) {
    const select = h('select', { class: 'answer', 'aria-label': 'Category' });
    for (const category of payload.categories)
      select.append(h('option', { value: String(category) }, String(category)));
    const button = h('button', { type: 'button', class: 'send' }, 'Send answer');
    button.addEventListener('click', () => answer(select.value));
    return h('div', { class: 'answer-form' }, select, button);
  }
  if (kind === 'llm.call')
    return textAnswer('LLM answer', 'The model’s answer (text)', (text) => answer(text));
  if (kind === 'llm.extract') {
    return textAnswer('Extracted value', 'A JSON value matching the schema', (text) =>
      guarded(() => parseJson(text, 'extracted value')),
    );
  }
  if (callback.type === 'embedding') {
    return textAnswer('Embedding', 'A JSON array of numbers, e.g. [0.1, 0.2]', (text) =>
      guarded(() => {
        const vector = parseJson(text, 'embedding');
        if (!Array.isArray(vector) || !vector.every((item) => typeof item === 'number'))
          throw new Error('The embedding must be a JSON array of numbers.');
        return vector;
      }),
    );
  }
  return textAnswer('Tool result', 'The result as JSON', (text) => guarded(() => parseJson(text, 'result')));
}

/** One pending callback: what the execution asks for, and a form to answer it (or fail it). */
export function renderCallback(
  callback: PendingCallback,
  answer: Answer,
  fail: (error: unknown) => void,
): HTMLElement {
  const failButton = h('button', { type: 'button', class: 'fail' }, 'Fail it');
  failButton.addEventListener('click', () =>
    answer({ __error: true, message: 'The person using the ATP Inspector failed this callback.' }),
  );
  return h(
    'article',
    { class: `callback callback-${callback.type}`, 'data-callback-id': callback.id },
    h('header', {}, h('strong', {}, `${callback.type}.${callback.operation}`), h('code', {}, callback.id)),
    h('pre', { class: 'payload' }, json(callback.payload)),
    answerForm(callback, answer, fail),
    failButton,
  );
}
