import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { startAtpServer } from './support/server';

jest.setTimeout(90_000);

/** Set ATP_INSPECTOR_SCREENSHOTS=<dir> to write the screenshots used in docs/inspector.md. */
const screenshotDir = process.env.ATP_INSPECTOR_SCREENSHOTS;

describe('the ATP Inspector in chromium', () => {
  let h: Awaited<ReturnType<typeof startAtpServer>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** A client made outside the page (as an agent would), whose token the page is given. */
  let external = { clientId: '', token: '' };
  let allowRefusals = false;

  const screenshot = async (name: string) => {
    if (!screenshotDir) return;
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `inspector-${name}.png`), fullPage: true });
  };

  const setCode = (code: string) =>
    page.evaluate((text) => {
      (
        window as unknown as { atpInspector: { editor: { setCode(code: string): void } } }
      ).atpInspector.editor.setCode(text);
    }, code);

  beforeAll(async () => {
    h = await startAtpServer({ inspector: { enabled: true } });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (allowRefusals && message.text().includes('status of 401')) return;
      pageErrors.push(`${message.text()} ${message.location().url}`);
    });
    await page.goto(`${h.url}/inspector`);
    await page.waitForSelector('#server-info:has-text("server")');
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  afterEach(() => {
    // No script errors and no content-security-policy violations on the page.
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  it('connects through init and searches, showing relevance scores', async () => {
    await page.click('#connect');
    await page.waitForSelector('#connection-status[data-connected="true"]');
    expect(await page.textContent('#connection-status')).toMatch(/^Connected as cli_/);

    await page.fill('#search-input', 'refund an order');
    await page.click('#search-form button');
    const first = page.locator('.search-result').first();
    await first.waitFor();
    expect(await first.locator('.signature').textContent()).toContain('api.desk.orders.refund(');
    expect(await first.locator('.score').textContent()).toMatch(/^\d+\.\d{3}$/);
    await first.click();
    expect(await page.textContent('#detail h3')).toBe('api.desk.orders.refund');
    await screenshot('search');
  });

  it('browses the API tree to a function’s TypeScript signature, and shows the atp.* runtime', async () => {
    await page.click('#show-tree');
    await page.click('button[data-path="/custom"]');
    await page.click('button[data-path="/custom/desk"]');
    await page.click('button[data-path="/custom/desk/tickets"]');
    await page.click('button[data-path="/custom/desk/tickets/search"]');
    await page.waitForSelector('#detail h3:has-text("api.desk.tickets.search")');
    const definition = await page.textContent('#detail .definition');
    expect(definition).toContain('api.desk.tickets.search(input?: DeskTicketsSearchInput)');
    expect(definition).toContain('query?: string;');

    await page.click('#show-runtime');
    await page.waitForSelector('#declarations:not([hidden])');
    const runtime = await page.textContent('#declarations');
    expect(runtime).toContain('declare const atp');
    expect(runtime).toContain('request(message: string, context?: unknown)');

    await page.click('#show-definitions');
    await page.waitForFunction(() =>
      document.querySelector('#declarations')?.textContent?.includes('declare const api'),
    );
    expect(await page.textContent('#declarations')).toContain('refund(input: DeskOrdersRefundInput)');
  });

  it('completes api.* paths in the editor from the definitions', async () => {
    await setCode('');
    await page.click('#editor .cm-content');
    await page.keyboard.type('await api.desk.or');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'orders' });
    await option.waitFor();
    // CodeMirror ignores Enter for a short while after the list opens (its interactionDelay).
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.keyboard.type('.');
    const refund = page.locator('.cm-tooltip-autocomplete li', { hasText: 'refund' });
    await refund.waitFor();
    expect(await refund.textContent()).toContain('refund(input: DeskOrdersRefundInput): Promise<unknown>');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.querySelector('#editor .cm-content')?.textContent)).toBe(
      'await api.desk.orders.refund',
    );
  });

  it('runs code with an API call, answers its approval, and shows the streamed logs and the result', async () => {
    await setCode(`atp.log.info('looking up the order');
const tickets = await api.desk.tickets.search({ query: 'refund' });
atp.progress.report('found ' + tickets.length + ' ticket', 0.5);
const decision = await atp.approval.request('Refund order O-7 for 42?', { orderId: 'O-7', amount: 42 });
if (!decision.approved) return { refunded: false, reason: decision.reason };
const refund = await api.desk.orders.refund({ orderId: 'O-7', amount: 42 });
atp.log.info('refunded', refund);
return { ticket: tickets[0].id, ...refund };`);
    await page.click('#run');
    const approval = page.locator('.callback-approval');
    await approval.waitFor();
    expect(await page.getAttribute('#run-status', 'data-status')).toBe('paused');
    expect(await approval.locator('.payload').textContent()).toContain('Refund order O-7 for 42?');
    expect(await page.textContent('#logs')).toContain('looking up the order');
    expect(await page.textContent('#progress-message')).toBe('found 1 ticket');
    expect(await page.isEnabled('#cancel')).toBe(true);
    expect(h.desk.refunds).toEqual([]);
    await screenshot('approval');

    await approval.locator('.approve').click();
    await page.waitForSelector('#run-status[data-status="completed"]');
    expect(JSON.parse((await page.textContent('#result')) ?? '')).toEqual({
      ticket: 'T-1',
      refunded: true,
      orderId: 'O-7',
      amount: 42,
    });
    expect(h.desk.refunds).toEqual(['O-7']);
    expect(await page.textContent('#logs')).toContain('refunded');
    expect(await page.isEnabled('#cancel')).toBe(false);
  });

  it('lists the execution with its counts and shows its audit trail', async () => {
    const row = page.locator('#history-rows tr').first();
    await page.waitForSelector('#history-rows tr.status-completed');
    expect(await row.locator('.status').textContent()).toBe('completed');
    expect(await row.locator('.tool-calls').textContent()).toBe('2');
    expect(await row.locator('.llm-calls').textContent()).toBe('0');
    await row.click();
    await page.waitForSelector('#trail .events');
    const trail = await page.textContent('#trail');
    for (const type of [
      'execution_start',
      'tool_call',
      'execution_pause',
      'execution_resume',
      'approval_decided',
      'execution_end',
    ]) {
      expect(trail).toContain(type);
    }
    expect(trail).toContain('"approved":true');
    await screenshot('history');
  });

  it('denies an approval with a reason', async () => {
    await setCode(`const d = await atp.approval.request('Delete everything?'); return d;`);
    await page.click('#run');
    const approval = page.locator('.callback-approval');
    await approval.waitFor();
    await approval.locator('.reason').fill('not today');
    await approval.locator('.deny').click();
    await page.waitForSelector('#run-status[data-status="completed"]');
    expect(JSON.parse((await page.textContent('#result')) ?? '')).toEqual({
      approved: false,
      reason: 'not today',
    });
  });

  it('answers an LLM callback with text, and cancels a paused execution', async () => {
    await setCode(
      `const a = await atp.llm.call('Say hi'); const b = await atp.llm.call('Say bye'); return [a, b];`,
    );
    await page.click('#run');
    await page.locator('.callback-llm .payload', { hasText: 'Say hi' }).waitFor();
    await page.fill('.callback-llm textarea', 'hi there');
    await page.click('.callback-llm .send');
    await page.locator('.callback-llm .payload', { hasText: 'Say bye' }).waitFor();
    await page.click('#cancel');
    await page.waitForSelector('#run-status[data-status="cancelled"]');
    expect(await page.locator('.callback').count()).toBe(0);
    await page.waitForSelector('#history-rows tr.status-cancelled');
    expect(await page.locator('#history-rows tr.status-cancelled .llm-calls').first().textContent()).toBe(
      '2',
    );
  });

  it('answers a client tool and an embedding pending together, with JSON', async () => {
    await page.click('#connect-panel summary');
    await page.fill(
      '#client-tools',
      JSON.stringify([{ name: 'pickFile', description: 'Ask the person to pick a file' }]),
    );
    await page.click('#connect');
    await page.waitForSelector('#connection-status[data-connected="true"]');
    await setCode(`const [file, vector] = await Promise.all([
  api.client.pickFile({ kind: 'csv' }),
  atp.embedding.vector('refund policy'),
]);
return { file, dimensions: vector.length, first: vector[0] };`);
    await page.click('#run');
    await page.locator('.callback').nth(1).waitFor();
    expect(await page.textContent('#callbacks h3')).toBe('Waiting for 2 callbacks');

    await page.fill('.callback-embedding textarea', 'not json');
    await page.click('.callback-embedding .send');
    await page.waitForSelector('#notice:not([hidden])');
    expect(await page.textContent('#notice')).toContain('The embedding must be JSON');
    expect(await page.getAttribute('#run-status', 'data-status')).toBe('paused');

    await page.fill('.callback-embedding textarea', '[0.25, 0.5, 0.75]');
    await page.click('.callback-embedding .send');
    await page.waitForSelector('#callbacks h3:has-text("Waiting for 1 callback")');
    expect(await page.locator('.callback-tool .payload').textContent()).toContain('"toolName": "pickFile"');
    await page.fill('.callback-tool textarea', '{"name": "refunds.csv", "rows": 12}');
    await page.click('.callback-tool .send');
    await page.waitForSelector('#run-status[data-status="completed"]');
    expect(JSON.parse((await page.textContent('#result')) ?? '')).toEqual({
      file: { name: 'refunds.csv', rows: 12 },
      dimensions: 3,
      first: 0.25,
    });
  });

  it('accepts a token obtained elsewhere and never shows it', async () => {
    const init = await fetch(`${h.url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ services: { hasApproval: true } }),
    });
    const { clientId, token } = (await init.json()) as { clientId: string; token: string };
    external = { clientId, token };
    await page.click('#connect-panel summary');
    await page.fill('#token-client-id', clientId);
    await page.fill('#token-value', token);
    expect(await page.getAttribute('#token-value', 'type')).toBe('password');
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector(`#connection-status:has-text("${clientId}")`);
    expect(await page.inputValue('#token-value')).toBe('');
    await page.waitForSelector('#history-rows td.empty');

    await setCode(`return await api.desk.tickets.search({ query: 'x' });`);
    await page.click('#run');
    await page.waitForSelector('#run-status[data-status="completed"]');
    await page.waitForSelector('#history-rows tr.status-completed');
    const visible = await page.evaluate(() => document.body.textContent);
    expect(visible).not.toContain(token);
    expect(await page.content()).not.toContain(token);
  });

  it('cancels a paused execution started elsewhere (by the same client) from its trail', async () => {
    const { clientId, token } = external;
    const started = await fetch(`${h.url}/api/execute`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-client-id': clientId,
      },
      body: JSON.stringify({ code: `return await atp.approval.request('From the agent');` }),
    });
    const { executionId, status } = (await started.json()) as { executionId: string; status: string };
    expect(status).toBe('paused');
    await page.click('#refresh-history');
    const row = page.locator(`#history-rows tr[data-execution-id="${executionId}"]`);
    await row.waitFor();
    expect(await row.locator('.status').textContent()).toBe('paused');
    await row.click();
    await page.click('#cancel-listed');
    await page.waitForSelector(`#history-rows tr[data-execution-id="${executionId}"].status-cancelled`);
    await page.waitForSelector('#trail .event-execution_end');
  });

  it('shows a clear error for a token the server refuses', async () => {
    // The browser logs each refused request (401) as a console error: expected here.
    allowRefusals = true;
    await page.click('#connect-panel summary');
    await page.fill('#token-client-id', 'cli_nobody');
    await page.fill('#token-value', 'not-a-token');
    await page.click('#token-form button[type="submit"]');
    // The page loads the tree, the declarations and the history at once; each is refused (401).
    await page.waitForSelector('#notice:not([hidden])');
    expect(await page.textContent('#notice')).toMatch(/^Could not .*: .*token/i);
  });

  it('fits a 420 px phone screen: no sideways scrolling, the editor and Run usable, and a run completes', async () => {
    const phone = await browser.newContext({
      viewport: { width: 420, height: 860 },
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    try {
      small.on('pageerror', (error) => pageErrors.push(error.message));
      await small.goto(`${h.url}/inspector/`);
      await small.waitForSelector('#server-info:has-text("server")');
      await small.click('#connect');
      await small.waitForSelector('#connection-status[data-connected="true"]');
      await small.click('#refresh-history');
      const overflow = await small.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return {
          width,
          scrollWidth: document.documentElement.scrollWidth,
          // Elements that stick out of the screen, except those inside a scrolling panel.
          outside: Array.from(document.querySelectorAll('body *'))
            .filter((element) => !element.closest('#history-panel'))
            .filter((element) => element.getBoundingClientRect().right > width + 1)
            .map((element) => `${element.tagName.toLowerCase()}#${element.id}`),
        };
      });
      expect(overflow).toEqual({ width: 420, scrollWidth: 420, outside: [] });
      for (const selector of ['#editor .cm-editor', '#run', '#search-input', '#connection-status']) {
        const box = await small.locator(selector).boundingBox();
        expect(box).not.toBeNull();
        expect(box!.width).toBeGreaterThan(40);
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(420);
      }
      // The editor is as wide as the screen allows, not squeezed into a side column.
      expect((await small.locator('#editor .cm-editor').boundingBox())!.width).toBeGreaterThan(300);
      await small.evaluate(() => {
        (
          window as unknown as { atpInspector: { editor: { setCode(code: string): void } } }
        ).atpInspector.editor.setCode('return 6 * 7;');
      });
      await small.locator('#run').tap();
      await small.waitForSelector('#run-status[data-status="completed"]');
      expect(await small.textContent('#result')).toContain('42');
    } finally {
      await phone.close();
    }
  });
});
