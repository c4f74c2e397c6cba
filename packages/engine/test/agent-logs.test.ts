import { createEngine } from '@agent-tool-protocol/engine';
import type { Logger } from '@agent-tool-protocol/protocol';

/** A logger that records every message it is given, with its level, children included. */
function recordingLogger(records: { level: string; fields: object; message?: string }[]): Logger {
  const make = (bindings: object): Logger => ({
    debug: (fields, message) =>
      void records.push({ level: 'debug', fields: { ...bindings, ...fields }, message }),
    info: (fields, message) =>
      void records.push({ level: 'info', fields: { ...bindings, ...fields }, message }),
    warn: (fields, message) =>
      void records.push({ level: 'warn', fields: { ...bindings, ...fields }, message }),
    error: (fields, message) =>
      void records.push({ level: 'error', fields: { ...bindings, ...fields }, message }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}

describe('agent log lines in the server log', () => {
  it('appear once, at the level the agent chose', async () => {
    const records: { level: string; fields: object; message?: string }[] = [];
    const engine = createEngine({
      auth: { jwtSecret: 'agent-logs-test-secret-0123456789' },
      execution: { isolatePoolSize: 0 },
      logger: recordingLogger(records),
    });
    try {
      const { clientId } = await engine.init({});
      const result = await engine.execute(clientId, {
        code: `atp.log.warn('disk almost full', { percent: 97 }); return 1;`,
      });
      expect(result.status).toBe('completed');
      const lines = records.filter((record) => record.message?.includes('disk almost full'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', fields: { source: 'agent' } });
    } finally {
      await engine.shutdown(100);
    }
  });
});
