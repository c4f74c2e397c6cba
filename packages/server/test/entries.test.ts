import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const packageDir = join(__dirname, '..');

/** Every module Node resolves while a fresh process runs `script` against the BUILT server. */
function modulesLoadedBy(script: string): string[] {
  const probe = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
    ${script}
    process.stdout.write(JSON.stringify([...seen]));
  `;
  const output = execFileSync(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', probe], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  return JSON.parse(output) as string[];
}

const sdk = (urls: string[]) =>
  urls.filter((url) => /@opentelemetry[+/](sdk-|exporter-|resources|context-async-hooks)/.test(url));
const express = (urls: string[]) => urls.filter((url) => /\/node_modules\/(\.pnpm\/)?express[@/]/.test(url));

describe('the server entries', () => {
  it('`@agent-tool-protocol/server` serves over express without loading an OpenTelemetry SDK', () => {
    const loaded = modulesLoadedBy(`
      const { createServer } = await import('@agent-tool-protocol/server');
      const server = createServer({ execution: { isolatePoolSize: 0 } });
      await server.listen(0);
      const info = await (await fetch(server.url + '/api/info')).json();
      if (!info.version) throw new Error('no info');
      await server.shutdown(100);
    `);
    expect(express(loaded)).not.toEqual([]);
    expect(sdk(loaded)).toEqual([]);
  });

  it('`otel.enabled` loads the SDK from the opt-in `@agent-tool-protocol/server/otel` entry', () => {
    const loaded = modulesLoadedBy(`
      const { createServer } = await import('@agent-tool-protocol/server');
      const server = createServer({
        execution: { isolatePoolSize: 0 },
        otel: { enabled: true, traceEndpoint: 'http://127.0.0.1:9/v1/traces', metricsEndpoint: 'http://127.0.0.1:9/v1/metrics' },
      });
      await server.listen(0);
      if (server.engine.observability.telemetry.mode !== 'sdk') throw new Error('no SDK');
      await server.shutdown(100);
    `);
    expect(loaded.some((url) => url.includes('/server/dist/otel/'))).toBe(true);
    expect(sdk(loaded)).not.toEqual([]);
  });
});
