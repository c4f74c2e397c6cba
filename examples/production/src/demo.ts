// Pauses an execution on one instance and resumes it on the other, through the round-robin proxy.
//   ATP_URL=http://127.0.0.1:3000 node --no-node-snapshot src/demo.ts   (waits up to ATP_WAIT_MS for the stack)
import { randomUUID } from 'node:crypto';

const base = process.env.ATP_URL ?? 'http://127.0.0.1:3000';
const waitMs = Number(process.env.ATP_WAIT_MS ?? 60_000);

/**
 * `pnpm … start` takes a few seconds to bring up Redis and both instances; until then the proxy answers
 * 503 (or is not listening yet). Poll `/ready` with backoff until two answers in a row (the round-robin
 * proxy sends them to different instances) are 200, or give up after ATP_WAIT_MS with what was seen.
 */
async function waitForInstances(): Promise<void> {
  const deadline = Date.now() + waitMs;
  let delay = 250;
  let inARow = 0;
  let last = 'no answer yet';
  let announced = false;
  for (;;) {
    try {
      const response = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(5_000) });
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
      inARow = response.ok ? inARow + 1 : 0;
      if (inARow >= 2) return;
      if (response.ok) continue;
    } catch (error) {
      inARow = 0;
      last = (error as Error).cause ? String((error as Error).cause) : String(error);
    }
    if (Date.now() + delay > deadline) {
      throw new Error(
        `The ATP instances behind ${base} were not ready within ${waitMs} ms (last: ${last}). ` +
          'Start them with `pnpm --filter production-example start` (it needs redis-server), or set ATP_URL.',
      );
    }
    if (!announced) {
      console.log(`waiting for the ATP instances behind ${base} (${last})…`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2_000);
  }
}

async function call(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...auth, ...init.headers },
  });
  const body = (await response.json()) as any;
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return { body, instance: response.headers.get('x-atp-instance') ?? '?' };
}

await waitForInstances();

let auth: Record<string, string> = {};
const init = await call('/api/init', {
  method: 'POST',
  body: JSON.stringify({ clientInfo: { name: 'production-demo' }, services: { hasLLM: true } }),
});
auth = { authorization: `Bearer ${init.body.token}`, 'x-client-id': init.body.clientId };
console.log(`init → ${init.instance} (client ${init.body.clientId})`);

// OAuth consent, as the user's browser would do it: ATP authorize route → provider → ATP callback.
const authorize = await fetch(`${base}/oauth/acme/authorize`, { headers: auth, redirect: 'manual' });
const atProvider = await fetch(authorize.headers.get('location')!, { redirect: 'manual' });
const callback = await fetch(atProvider.headers.get('location')!);
if (!callback.ok) throw new Error(`the OAuth callback answered ${callback.status}: ${await callback.text()}`);
console.log('oauth → consent for "acme" granted (tokens stored encrypted in Redis)');

const reference = `demo-${randomUUID().slice(0, 8)}`;
const code = `
  const me = await api.acme.profile({});
  const order = await api.orders.create({ item: 'notebook', quantity: 2, reference: '${reference}' });
  const note = await atp.llm.call({ prompt: 'Write a one-line thank-you note to ' + me.name + ' for order #' + order.id });
  const mine = await api.orders.list({ reference: '${reference}' });
  return { customer: me.name, plan: me.plan, order: order.id, createdBy: order.createdBy, note, ordersWithThisReference: mine.length };
`;
const paused = await call('/api/execute', { method: 'POST', body: JSON.stringify({ code }) });
if (paused.body.status !== 'paused') throw new Error(`expected a pause: ${JSON.stringify(paused.body)}`);
console.log(
  `execute → paused on ${paused.instance}, asking the client: ${paused.body.needsCallback.payload.prompt}`,
);

// The demo plays the LLM.
const resumed = await call(`/api/resume/${paused.body.executionId}`, {
  method: 'POST',
  body: JSON.stringify({ result: 'Thank you, Ada, for your order!' }),
});
console.log(`resume → ${resumed.body.status} on ${resumed.instance}`);
console.log(JSON.stringify(resumed.body.result, null, 2));

if (resumed.body.status !== 'completed') throw new Error(JSON.stringify(resumed.body));
if (paused.instance === resumed.instance) throw new Error('paused and resumed on the same instance');
if (resumed.body.result.ordersWithThisReference !== 1)
  throw new Error('the order was not created exactly once');
console.log(
  `paused on ${paused.instance}, resumed on ${resumed.instance}: durable replay, the order was created exactly once`,
);
