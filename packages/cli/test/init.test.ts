// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ExitCode } from '../src/exit-codes';
import { parseConfig } from '../src/load-config';
import { childEnv, cleanupChildren, runCli, startServe, tempDir } from './support/cli-process';

afterEach(() => cleanupChildren());

describe('atp init', () => {
  test('writes a commented starter config that validates, and refuses to overwrite without --force', async () => {
    const dir = tempDir();
    const first = await runCli(['init'], { cwd: dir });
    expect(first).toMatchObject({ code: ExitCode.OK });
    expect(first.stdout).toContain('wrote ');
    const path = join(dir, 'atp.config.yaml');
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# ATP gateway config/);
    expect(text).toContain('${VAR:-default}');
    const config = parseConfig(parse(text), { env: {}, baseDir: dir });
    expect(config.server.port).toBe(3333);
    expect(config.openapi.map((entry) => entry.name)).toEqual(['petstore']);

    writeFileSync(path, 'server: { port: 1234 }\n');
    const again = await runCli(['init'], { cwd: dir });
    expect(again).toMatchObject({ code: ExitCode.USAGE });
    expect(again.stderr).toContain('already exist');
    expect(again.stderr).toContain('use --force to overwrite them');
    expect(readFileSync(path, 'utf8')).toBe('server: { port: 1234 }\n');

    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced).toMatchObject({ code: ExitCode.OK });
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  test('writes to a given file name', async () => {
    const dir = tempDir();
    const { code, stderr } = await runCli(['init', 'gateway.yaml'], { cwd: dir });
    expect({ code, stderr }).toMatchObject({ code: ExitCode.OK });
    expect(readFileSync(join(dir, 'gateway.yaml'), 'utf8')).toContain('openapi:');
  });
});

/** Starts the petstore-mock.mjs that init wrote, on a free port; resolves with its base URL. */
async function startMock(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['petstore-mock.mjs'], {
    cwd: dir,
    env: { ...childEnv(), PETSTORE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mocks.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the mock exited with ${code}: ${output}`)));
  });
  return { child, url };
}
const mocks: ChildProcess[] = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.kill('SIGKILL');
});

describe('the project atp init writes', () => {
  test('serves its local petstore spec offline; its mock answers calls made through atp exec', async () => {
    const dir = tempDir();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(ExitCode.OK);
    // The spec is local: no URL in the config, so starting needs no network.
    const config = readFileSync(join(dir, 'atp.config.yaml'), 'utf8');
    expect(config).toContain('path: ./petstore.yaml');
    const serve = await startServe([], { cwd: dir });
    expect(serve.stdout()).toMatch(/petstore\s+openapi\s+4\s+.*petstore\.yaml/);
    serve.child.kill('SIGTERM');
    await serve.exited;

    // The mock on a free port; PETSTORE_PORT tells the config (serverVariables) where it is.
    const { url } = await startMock(dir);
    const exec = await runCli(['exec', '-'], {
      cwd: dir,
      env: childEnv({ PETSTORE_PORT: new URL(url).port }),
      stdin: `const pets = await api.petstore.pet.findPetsByStatus({ status: 'available' });
        const added = await api.petstore.pet.addPet({ body: { name: 'Bo', category: 'Dogs' } });
        const inventory = await api.petstore.store.getInventory();
        return { names: pets.map((p) => p.name), added: added.id, available: inventory.available };`,
    });
    expect(exec.stderr).toContain('✔ completed in');
    expect(exec.stderr).toContain('3 tool calls');
    expect(JSON.parse(exec.stdout)).toEqual({ names: ['Rex', 'Tom'], added: 5, available: 3 });
    expect(exec.code).toBe(ExitCode.OK);
  });

  test('`atp serve --openapi petstore=…` next to it: the flag wins, with a notice', async () => {
    const dir = tempDir();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(ExitCode.OK);
    writeFileSync(join(dir, 'other.yaml'), readFileSync(join(dir, 'petstore.yaml'), 'utf8'));
    const serve = await startServe(['--openapi', 'petstore=./other.yaml'], { cwd: dir });
    expect(serve.stderr()).toContain(
      'notice: --openapi petstore=… replaces openapi[0] "petstore" of the config file',
    );
    expect(serve.stdout()).toMatch(/petstore\s+openapi\s+4\s+.*other\.yaml/);
    expect(serve.stdout()).toContain('1 API group');
  });
});

describe('atp', () => {
  test('--version matches package.json; no command prints help and exits 2', async () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe(manifest.version);
    const bare = await runCli([]);
    expect(bare).toMatchObject({ code: ExitCode.USAGE });
    expect(bare.stdout).toContain('atp serve');
  });
});
