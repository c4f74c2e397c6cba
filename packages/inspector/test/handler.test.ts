import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enableInspector, inspectorAssetsDir, inspectorHandler } from '@agent-tool-protocol/inspector';
import { createServer, importInspector } from '@agent-tool-protocol/server';
import { startAtpServer, TEST_SECRET } from './support/server';

const get = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init });

describe('inspectorHandler on an ATP server', () => {
  let h: Awaited<ReturnType<typeof startAtpServer>>;
  beforeAll(async () => {
    h = await startAtpServer();
    enableInspector(h.server);
  });
  afterAll(() => h.close());

  it('redirects /inspector to /inspector/ so the page’s relative URLs resolve', async () => {
    const response = await get(`${h.url}/inspector?x=1`);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '', `${h.url}/inspector`).href).toBe(
      `${h.url}/inspector/?x=1`,
    );
  });

  it('serves the page with a strict content security policy', async () => {
    const response = await get(`${h.url}/inspector/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<title>ATP Inspector</title>');
    expect(html).toContain('src="app.js"');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves the bundled script (CodeMirror included, nothing from a CDN) and the stylesheet', async () => {
    const script = await get(`${h.url}/inspector/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await script.text();
    expect(code.includes('cm-editor')).toBe(true);
    // Self-contained: no module is fetched from anywhere else.
    expect(/(?:from|import)\s*\(?\s*["']https?:\/\//.test(code)).toBe(false);
    const css = await get(`${h.url}/inspector/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await get(`${h.url}/inspector/app.css`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers unknown files, other methods and traversal attempts with the server’s 404', async () => {
    for (const path of [
      '/inspector/missing.js',
      '/inspector/..%2Fpackage.json',
      '/inspector/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const response = await get(`${h.url}${path}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('NOT_FOUND');
    }
    const post = await get(`${h.url}/inspector/`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('answers broken percent-encoding anywhere in the path with 400, not 500', async () => {
    for (const path of [
      '/inspector/%E0%A4%A',
      '/inspector/%E0%A4%A.js',
      '/inspector/%zz/app.js',
      '/inspector/%',
    ]) {
      const response = await get(`${h.url}${path}`);
      expect(response.status).toBe(400);
      // The ATP server refuses it before the inspector sees it; on its own the inspector does the same.
      expect(await response.json()).toMatchObject({
        code: 'VALIDATION_ERROR',
        error: expect.stringMatching(/^The request path is not valid percent-encoding/),
      });
    }
    // Well-formed encodings are handled as before (an unknown file is the server's 404).
    expect((await get(`${h.url}/inspector/%41bc.js`)).status).toBe(404);
  });

  it('does not open the ATP API: its routes still need a token', async () => {
    expect((await get(`${h.url}/api/executions`)).status).toBe(401);
  });
});

describe('createServer({ inspector })', () => {
  const servers: Array<{ shutdown(ms: number): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.shutdown(500)));
  });

  async function start(config: Parameters<typeof createServer>[0]) {
    const server = createServer({ auth: { jwtSecret: TEST_SECRET }, logger: { level: 'silent' }, ...config });
    servers.push(server);
    await server.listen(0);
    return server;
  }

  it('serves /inspector/ when enabled (loading the optional package at listen)', async () => {
    const server = await start({ inspector: { enabled: true } });
    expect((await get(`${server.url}/inspector/`)).status).toBe(200);
  });

  it('is off by default', async () => {
    const server = await start({});
    expect((await get(`${server.url}/inspector/`)).status).toBe(404);
  });

  it('is ignored in production mode unless allowInProduction', async () => {
    const ignored = await start({ mode: 'production', inspector: { enabled: true } });
    expect((await get(`${ignored.url}/inspector/`)).status).toBe(404);
    const forced = await start({ mode: 'production', inspector: { enabled: true, allowInProduction: true } });
    expect((await get(`${forced.url}/inspector/`)).status).toBe(200);
  });

  it('names the missing package when it cannot be loaded', async () => {
    await expect(
      importInspector(async () => {
        throw new Error('Cannot find module');
      }),
    ).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      message: expect.stringContaining('npm install @agent-tool-protocol/inspector'),
    });
  });

  it('rejects a bad inspector config naming the field', () => {
    expect(() => createServer({ inspector: { enabled: 'yes' as unknown as boolean } })).toThrow(
      /inspector\.enabled/,
    );
  });
});

describe('inspectorHandler assets', () => {
  it('finds the built page', () => {
    expect(inspectorAssetsDir()).toMatch(/dist[/\\]public$/);
  });

  it('refuses to start without a built page, saying how to build it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'atp-inspector-'));
    try {
      expect(() => inspectorHandler({ assetsDir: empty })).toThrow(
        /not built.*pnpm --filter @agent-tool-protocol\/inspector build/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
