// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ExitCode } from '../src/exit-codes';
import { parseConfig } from '../src/load-config';
import { cleanupChildren, runCli, tempDir } from './support/cli-process';

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
    expect(again.stderr).toContain('already exists; use --force to overwrite it');
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
