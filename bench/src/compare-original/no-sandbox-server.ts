// Our server with its executor replaced by one that answers each measure's known result at once (no
// sandbox), for `decompose.ts`: everything else is our server as the side-by-side benchmark runs it
// (express, authentication, the engine's checks, observer, history), so the difference to the floor
// server is our HTTP stack and the difference to our real server is the sandbox.
// `node --no-node-snapshot no-sandbox-server.ts`; prints {"url": …} once listening; exits when its
// stdin closes.
// The isolate pool still starts (the engine's executor is created before it is patched); no execution
// uses it.
import type { ExecutionResult } from '@agent-tool-protocol/protocol';
import { measures } from './measures.ts';
import { announce, startOurServer } from './start-our-server.ts';

const answers = new Map(measures(1).map((measure) => [measure.code, measure.floorResult]));

const server = await startOurServer();
let executions = 0;
server.engine.executor.execute = async (code: string): Promise<ExecutionResult> => {
  if (answers.get(code) === undefined)
    throw new Error('The no-sandbox server answers only the benchmark measures it knows.');
  return {
    executionId: `no-sandbox-${executions++}`,
    status: 'completed',
    result: answers.get(code),
    stats: { duration: 0, llmCallsCount: 0, approvalCallsCount: 0 },
  } as ExecutionResult;
};
announce(server);
