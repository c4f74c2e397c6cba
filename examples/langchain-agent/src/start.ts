// One command: uses ATP_URL when set, otherwise starts the quickstart support-desk server for the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_QUESTION, runAgent } from './agent.ts';
import { chooseModels } from './models.ts';

const quickstartDir = join(import.meta.dirname, '..', '..', 'quickstart');

function startQuickstartServer(): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(join(quickstartDir, 'src', 'server.ts'))) {
    throw new Error(`No quickstart server at ${quickstartDir}: set ATP_URL to a running ATP server instead.`);
  }
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', 'src/server.ts'],
    {
      cwd: quickstartDir,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`The quickstart server did not start:\n${output}`)),
      30_000,
    );
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)\r?\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The quickstart server exited with ${code}:\n${output}`));
    });
  });
}

const server = process.env.ATP_URL ? undefined : await startQuickstartServer();
const atpUrl = process.env.ATP_URL || server!.url;
try {
  const models = await chooseModels();
  console.log(`ATP server: ${atpUrl}${server ? ' (quickstart, started for this run)' : ''}`);
  console.log(`model: ${models.description}\nquestion: ${DEFAULT_QUESTION}\n`);
  const answer = await runAgent({ atpUrl, ...models });
  console.log(`\nanswer: ${answer}`);
} finally {
  if (server) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}
