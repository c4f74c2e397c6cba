import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = join(__dirname, '..');

/**
 * Imports the BUILT engine in a fresh process, records every module Node resolves (ESM and CommonJS, via
 * module.registerHooks), runs an execution, and prints the list.
 */
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

describe('the engine needs no HTTP framework and no OpenTelemetry SDK', () => {
  beforeAll(() => {
    if (!existsSync(join(packageDir, 'dist', 'index.js')))
      throw new Error('build the engine first (pnpm build)');
  });

  it('imports createEngine and runs code without loading express or an OTel SDK', () => {
    const loaded = modulesLoadedBy(`
      const { createEngine } = await import('@agent-tool-protocol/engine');
      const engine = createEngine({ execution: { isolatePoolSize: 0 } });
      engine.addAPIGroup({ name: 'math', type: 'custom', functions: [
        { name: 'double', description: 'x * 2', handler: (input) => input.x * 2 },
      ] });
      const { clientId } = await engine.init({});
      const result = await engine.execute(clientId, { code: 'return await api.math.double({ x: 21 })' });
      if (result.result !== 42) throw new Error('unexpected ' + JSON.stringify(result));
      await engine.shutdown(100);
    `);
    expect(loaded.some((url) => url.includes('/engine/dist/'))).toBe(true);
    expect(loaded.some((url) => url.includes('@opentelemetry/api'))).toBe(true);
    const forbidden = loaded.filter(
      (url) =>
        /\/node_modules\/(\.pnpm\/)?express[@/]/.test(url) ||
        /@opentelemetry[+/](sdk-|exporter-|resources|core|context-async-hooks|otlp-)/.test(url),
    );
    expect(forbidden).toEqual([]);
  });
});
