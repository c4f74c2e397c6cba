import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { ExecutionConfig, ExecutionResult } from '@agent-tool-protocol/protocol';
import { SuspensionScope } from './suspension.js';

interface ParkedExecution {
  scope: SuspensionScope;
  execution: Promise<ExecutionResult>;
}

/**
 * Runs agent code through the client and keeps executions whose approval suspended the run
 * (see `approvalFromInterrupt`), so a resumed run of the same code continues the same execution.
 */
export class ExecuteRunner {
  private readonly parked = new Map<string, ParkedExecution>();

  constructor(private readonly client: AgentToolProtocolClient) {}

  async run(code: string, config: ExecutionConfig): Promise<ExecutionResult> {
    const key = JSON.stringify([code, config]);
    const parked = this.parked.get(key);
    if (parked) {
      // The resumed run: `interrupt` now returns the answers (or throws again and we stay parked).
      await parked.scope.answerPending();
      return this.settle(key, parked);
    }
    const scope = new SuspensionScope();
    const execution = scope.run(() => this.client.execute(code, config));
    return this.settle(key, { scope, execution });
  }

  private async settle(key: string, parked: ParkedExecution): Promise<ExecutionResult> {
    const outcome = await Promise.race([
      parked.execution.then((result) => ({ result })),
      parked.scope.whenSuspended().then(() => ({ suspended: true as const })),
    ]).catch((error: unknown) => {
      this.parked.delete(key);
      throw error;
    });
    if ('suspended' in outcome) {
      this.parked.set(key, parked);
      throw parked.scope.firstSignal;
    }
    this.parked.delete(key);
    return outcome.result;
  }
}
