// Our server with its executor replaced by one that answers each measure's known result at once (no
// sandbox), for `decompose.ts`: everything else is our server as the side-by-side benchmark runs it
// (express, authentication, the engine's checks, observer, history), so the difference to the floor
// server is our HTTP stack and the difference to our real server is the sandbox.
// `node --no-node-snapshot no-sandbox-server.ts`; prints {"url": …} once listening; exits when its
// stdin closes.
import type { ExecutionResult } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { benchGroup } from './groups.mjs';
import { measures } from './measures.ts';

const answers = new Map(measures(1).map((measure) => [measure.code, measure.floorResult]));

const server = createServer({
  auth: { jwtSecret: 'compare-original-secret-0123456789' },
  logger: { level: 'silent' },
});
server.addAPIGroup(benchGroup());
await server.listen(0);
let executions = 0;
server.engine.executor.execute = async (code: string): Promise<ExecutionResult> => {
  if (!answers.has(code) || answers.get(code) === undefined)
    throw new Error('The no-sandbox server answers only the benchmark measures it knows.');
  return {
    executionId: `no-sandbox-${executions++}`,
    status: 'completed',
    result: answers.get(code),
    stats: { duration: 0, llmCallsCount: 0, approvalCallsCount: 0 },
  } as ExecutionResult;
};
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.on('end', () => void server.shutdown(1000).then(() => process.exit(0))).resume();
