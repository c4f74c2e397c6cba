// One command for the whole production-shaped stack:
//   redis-server (AOF) → two ATP instances → a round-robin proxy (the public URL), plus a stand-in
//   OAuth provider. `PORT` picks the proxy's port (default 3000, 0 = any free port).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeOAuthProvider } from './fake-oauth-provider.ts';
import { RoundRobinProxy } from './proxy.ts';
import { startRedis } from './redis.ts';

const dataDir = process.env.ATP_DATA_DIR ?? join(import.meta.dirname, '..', '.data');
mkdirSync(dataDir, { recursive: true });

/** Secrets come from the environment; for a local run, random ones are made (valid for this run only). */
function secret(name: string): string {
  const value = process.env[name];
  if (value) return value;
  console.log(`${name} is not set: using a random value for this run.`);
  return randomBytes(32).toString('base64url');
}
const secrets = {
  ATP_JWT_SECRET: secret('ATP_JWT_SECRET'),
  ATP_OAUTH_KEY: secret('ATP_OAUTH_KEY'),
  ATP_OAUTH_STATE_SECRET: secret('ATP_OAUTH_STATE_SECRET'),
};

const redis = await startRedis(dataDir);
console.log(`redis-server (pid ${redis.pid}, AOF in ${dataDir}) at ${redis.url}`);
const provider = new FakeOAuthProvider();
const providerUrl = await provider.listen();
console.log(`stand-in OAuth provider "acme" at ${providerUrl}`);
const proxy = new RoundRobinProxy();
const publicUrl = await proxy.listen(Number(process.env.PORT ?? 3000));

function startInstance(name: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(import.meta.dirname, 'instance.ts')],
    {
      env: {
        ...process.env,
        ...secrets,
        INSTANCE_NAME: name,
        PORT: '0',
        REDIS_URL: redis.url,
        PUBLIC_URL: publicUrl,
        OAUTH_PROVIDER_URL: providerUrl,
        AUDIT_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${code} before listening:\n${output}`)),
    );
  });
}

const instances = await Promise.all([startInstance('instance-a'), startInstance('instance-b')]);
for (const instance of instances) proxy.backends.push(instance.url);
console.log(`instances: ${instances.map((instance) => instance.url).join(', ')}`);
console.log(`ATP production example listening on ${publicUrl}`);
console.log('Try it: pnpm --filter production-example demo   (in another terminal)');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the proxy, both instances, Redis and the OAuth provider…`);
  await proxy.close();
  await Promise.all(
    instances.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(undefined);
          child.once('exit', resolve);
          process.kill(child.pid!, 'SIGTERM');
        }),
    ),
  );
  await redis.stop();
  await provider.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
