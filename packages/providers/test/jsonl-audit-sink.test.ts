import { mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderError, ValidationError } from '@agent-tool-protocol/protocol';
import { type AuditRecord, JSONLAuditSink } from '@agent-tool-protocol/providers';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atp-audit-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n') || text === '').toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Rotated files in rotation order, then the active file. */
async function auditFiles(name = 'audit'): Promise<string[]> {
  const rotated = (await readdir(dir))
    .filter((file) => file.startsWith(`${name}.`) && file !== `${name}.jsonl`)
    .sort((a, b) => {
      const [, dayA, indexA] = a.split('.');
      const [, dayB, indexB] = b.split('.');
      return dayA === dayB ? Number(indexA) - Number(indexB) : dayA! < dayB! ? -1 : 1;
    });
  return [...rotated.map((file) => join(dir, file)), join(dir, `${name}.jsonl`)];
}

const toolCall = (seq: number): AuditRecord => ({
  type: 'tool_call',
  timestamp: 1_700_000_000_000 + seq,
  clientId: 'client-1',
  executionId: `exec-${seq}`,
  seq,
  group: 'github',
  function: 'issues.create',
  status: 'success',
  duration: 12,
  arguments: { title: `issue ${seq}` },
});

describe('JSONLAuditSink', () => {
  it('appends one JSON object per line, in order, after flush', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path });
    sink.write({ type: 'client_init', timestamp: 1, clientId: 'c1' });
    sink.write({ type: 'execution_start', timestamp: 2, clientId: 'c1', executionId: 'e1' });
    sink.write({ type: 'execution_complete', timestamp: 3, clientId: 'c1', executionId: 'e1' });
    await sink.flush();
    expect(await readLines(path)).toEqual([
      { type: 'client_init', timestamp: 1, clientId: 'c1' },
      { type: 'execution_start', timestamp: 2, clientId: 'c1', executionId: 'e1' },
      { type: 'execution_complete', timestamp: 3, clientId: 'c1', executionId: 'e1' },
    ]);
    sink.write({ type: 'auth_failure', timestamp: 4, reason: 'bad key' });
    await sink.close();
    expect(await readLines(path)).toHaveLength(4);
    expect(sink.stats()).toEqual({ buffered: 0, written: 4, dropped: 0 });
  });

  it('records every ATP event type as given, with secrets removed', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path });
    const events: AuditRecord[] = [
      { type: 'client_init', timestamp: 1, clientId: 'c1', clientInfo: { name: 'agent' }, apiKey: 'k-1' },
      { type: 'execution_start', timestamp: 2, clientId: 'c1', executionId: 'e1' },
      {
        type: 'tool_call',
        timestamp: 3,
        clientId: 'c1',
        executionId: 'e1',
        group: 'github',
        function: 'issues.create',
        status: 'success',
        duration: 84,
        arguments: { title: 't' },
      },
      {
        type: 'llm_call',
        timestamp: 4,
        clientId: 'c1',
        executionId: 'e1',
        operation: 'call',
        promptTokens: 12,
      },
      { type: 'approval_requested', timestamp: 5, executionId: 'e1', message: 'Delete repo?' },
      { type: 'approval_decided', timestamp: 6, executionId: 'e1', approved: false, reason: 'no' },
      { type: 'execution_pause', timestamp: 7, executionId: 'e1', callbacks: 1 },
      { type: 'execution_resume', timestamp: 8, executionId: 'e1' },
      {
        type: 'policy_violation',
        timestamp: 9,
        executionId: 'e1',
        policy: 'preventDataExfiltration',
        decision: 'block',
      },
      { type: 'execution_fail', timestamp: 10, executionId: 'e1', error: { code: 'SECURITY_VIOLATION' } },
      { type: 'execution_complete', timestamp: 11, executionId: 'e2', status: 'completed' },
      {
        type: 'auth_failure',
        timestamp: 12,
        reason: 'Invalid API key.',
        headers: { 'x-api-key': 'wrong-key' },
        ip: '127.0.0.1',
      },
    ];
    for (const event of events) sink.write(event);
    await sink.close();
    const lines = await readLines(path);
    expect(lines.map((line) => line.type)).toEqual(events.map((event) => event.type));
    expect(lines[0]).toMatchObject({ apiKey: '[REDACTED]', clientInfo: { name: 'agent' } });
    expect(lines[2]).toMatchObject({
      group: 'github',
      function: 'issues.create',
      status: 'success',
      duration: 84,
    });
    expect(lines[2]?.arguments).toMatch(/^sha256:/);
    expect(lines[11]).toMatchObject({ headers: { 'x-api-key': '[REDACTED]' }, ip: '127.0.0.1' });
  });

  it('returns from write() synchronously, buffering instead of touching the disk', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path, flushIntervalMs: 10_000 });
    const returned = sink.write({ type: 'client_init', timestamp: 1 });
    expect(returned).toBeUndefined();
    expect(sink.stats().buffered).toBe(1);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    await sink.close();
    expect(await readLines(path)).toHaveLength(1);
  });

  it('records a snapshot: changing the event after write() changes nothing', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path });
    const event: Record<string, unknown> = { type: 'tool_call', timestamp: 1, status: 'pending' };
    sink.write(event);
    event.status = 'mutated';
    await sink.close();
    expect((await readLines(path))[0]?.status).toBe('pending');
  });

  it('appends to an existing file instead of truncating it', async () => {
    const path = join(dir, 'audit.jsonl');
    const first = new JSONLAuditSink({ path });
    first.write({ type: 'client_init', timestamp: 1 });
    await first.close();
    const second = new JSONLAuditSink({ path });
    second.write({ type: 'client_init', timestamp: 2 });
    await second.close();
    expect((await readLines(path)).map((event) => event.timestamp)).toEqual([1, 2]);
  });

  it('loses no event across size rotation, with flushes racing writes', async () => {
    const path = join(dir, 'audit.jsonl');
    const maxSizeBytes = 4_096;
    const sink = new JSONLAuditSink({ path, maxSizeBytes, flushIntervalMs: 0 });
    const total = 5_000;
    for (let seq = 0; seq < total; seq++) {
      sink.write(toolCall(seq));
      if (seq % 700 === 0) await sink.flush();
      if (seq % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await sink.close();

    const files = await auditFiles();
    expect(files.length).toBeGreaterThan(50);
    const seqs: number[] = [];
    for (const file of files) {
      expect((await stat(file)).size).toBeLessThanOrEqual(maxSizeBytes);
      for (const event of await readLines(file)) seqs.push(event.seq as number);
    }
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(sink.stats()).toEqual({ buffered: 0, written: total, dropped: 0 });
  });

  it('writes everything in the background, without flush(), while writes keep arriving', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path, flushIntervalMs: 0 });
    const total = 3_000;
    for (let seq = 0; seq < total; seq++) {
      sink.write(toolCall(seq));
      if (seq % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (seq % 333 === 0) await Promise.resolve().then(() => sink.write(toolCall(total + seq)));
    }
    const deadline = Date.now() + 10_000;
    while (sink.stats().buffered > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sink.stats()).toMatchObject({ buffered: 0, dropped: 0 });
    expect(await readLines(path)).toHaveLength(sink.stats().written);
    await sink.close();
  });

  it('gives a line longer than maxSizeBytes a file of its own', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path, maxSizeBytes: 200 });
    sink.write({ type: 'llm_call', timestamp: 1 });
    sink.write({ type: 'llm_call', timestamp: 2, prompt: 'x'.repeat(500) });
    sink.write({ type: 'llm_call', timestamp: 3 });
    await sink.close();
    const files = await auditFiles();
    expect(files).toHaveLength(3);
    const perFile = await Promise.all(
      files.map(async (file) => (await readLines(file)).map((e) => e.timestamp)),
    );
    expect(perFile).toEqual([[1], [2], [3]]);
  });

  it('rotates when the UTC day changes, naming the file after the day it holds', async () => {
    const path = join(dir, 'audit.jsonl');
    let now = Date.UTC(2026, 10, 21, 23, 59, 0);
    const sink = new JSONLAuditSink({ path, rotateDaily: true, now: () => now });
    sink.write({ type: 'client_init', timestamp: now });
    await sink.flush();
    now = Date.UTC(2026, 10, 22, 0, 0, 1);
    sink.write({ type: 'client_init', timestamp: now });
    sink.write({ type: 'client_init', timestamp: now + 1 });
    await sink.close();
    expect((await readdir(dir)).sort()).toEqual(['audit.2026-11-21.1.jsonl', 'audit.jsonl']);
    expect(await readLines(join(dir, 'audit.2026-11-21.1.jsonl'))).toHaveLength(1);
    expect(await readLines(path)).toHaveLength(2);
  });

  it('continues rotated-file numbering left by an earlier process', async () => {
    const path = join(dir, 'audit.jsonl');
    const day = new Date().toISOString().slice(0, 10);
    await writeFile(join(dir, `audit.${day}.1.jsonl`), '{"type":"old"}\n');
    const sink = new JSONLAuditSink({ path, maxSizeBytes: 60 });
    sink.write({ type: 'client_init', timestamp: 1, pad: 'x'.repeat(20) });
    sink.write({ type: 'client_init', timestamp: 2, pad: 'x'.repeat(20) });
    await sink.close();
    expect(await readLines(join(dir, `audit.${day}.1.jsonl`))).toEqual([{ type: 'old' }]);
    expect((await readLines(join(dir, `audit.${day}.2.jsonl`)))[0]?.timestamp).toBe(1);
    expect((await readLines(path))[0]?.timestamp).toBe(2);
  });

  it('drops and counts events beyond the buffer bound, and records the loss', async () => {
    const path = join(dir, 'audit.jsonl');
    const warnings: unknown[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      error: () => {},
      warn: (fields: unknown) => warnings.push(fields),
    };
    const sink = new JSONLAuditSink({ path, maxBufferedEvents: 10, flushIntervalMs: 10_000, logger });
    for (let seq = 0; seq < 100; seq++) sink.write(toolCall(seq));
    expect(sink.stats()).toEqual({ buffered: 10, written: 0, dropped: 90 });
    await sink.close();
    const lines = await readLines(path);
    expect(lines.slice(0, 10).map((event) => event.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(lines[10]).toMatchObject({ type: 'audit_events_dropped', count: 90 });
    expect(lines).toHaveLength(11);
    expect(warnings).toHaveLength(1);
  });

  it('drops (never throws) events written after close()', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path });
    sink.write({ type: 'client_init', timestamp: 1 });
    await sink.close();
    expect(() => sink.write({ type: 'client_init', timestamp: 2 })).not.toThrow();
    await sink.close();
    expect(await readLines(path)).toHaveLength(1);
    expect(sink.stats().dropped).toBe(1);
  });

  it('keeps events while the disk fails, reports it from flush(), and writes them once it works', async () => {
    const blocker = join(dir, 'logs');
    await writeFile(blocker, 'a file where the log directory should be');
    const path = join(blocker, 'audit.jsonl');
    const sink = new JSONLAuditSink({ path });
    sink.write({ type: 'client_init', timestamp: 1 });
    sink.write({ type: 'client_init', timestamp: 2 });
    const error = await sink.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toContain(path);
    expect(sink.stats().buffered).toBe(2);

    await unlink(blocker);
    await sink.close();
    expect((await readLines(path)).map((event) => event.timestamp)).toEqual([1, 2]);
  });

  it('names the bad option', () => {
    expect(() => new JSONLAuditSink({} as never)).toThrow(ValidationError);
    expect(() => new JSONLAuditSink({} as never)).toThrow(/path/);
    expect(() => new JSONLAuditSink({ path: join(dir, 'a.jsonl'), maxSizeBytes: 0 })).toThrow(/maxSizeBytes/);
    expect(
      () => new JSONLAuditSink({ path: join(dir, 'a.jsonl'), redact: { arguments: 'show' as never } }),
    ).toThrow(/redact\.arguments/);
  });
});

describe('JSONLAuditSink redaction', () => {
  async function record(
    event: AuditRecord,
    options: ConstructorParameters<typeof JSONLAuditSink>[0]['redact'] = {},
  ) {
    const path = join(dir, `redact-${Math.random()}.jsonl`);
    const sink = new JSONLAuditSink({ path, redact: options });
    sink.write(event);
    await sink.close();
    const [line] = await readLines(path);
    return { line: line!, raw: await readFile(path, 'utf8') };
  }

  const secrets = {
    type: 'tool_call',
    timestamp: 1,
    token: 'tok-1',
    password: 'pw-1',
    request: {
      headers: { Authorization: 'Bearer abc.def', 'X-API-Key': 'key-1', Cookie: 'sid=1', accept: 'json' },
      body: {
        deep: [
          { client_secret: 'cs-1', refreshToken: 'rt-1', nested: { accessToken: 'at-1', apiKey: 'ak-1' } },
        ],
      },
    },
    secret: { value: 'sv-1' },
    promptTokens: 120,
    tokenType: 'bearer',
    note: 'called with Bearer live-token-1 and jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl',
  } satisfies AuditRecord;

  it('redacts secret keys at any depth and credentials inside strings', async () => {
    const { line, raw } = await record(secrets);
    for (const value of [
      'tok-1',
      'pw-1',
      'abc.def',
      'key-1',
      'sid=1',
      'cs-1',
      'rt-1',
      'at-1',
      'ak-1',
      'sv-1',
      'live-token-1',
      'c2lnbmF0dXJl',
    ]) {
      expect(raw).not.toContain(value);
    }
    expect(line).toMatchObject({
      token: '[REDACTED]',
      password: '[REDACTED]',
      secret: '[REDACTED]',
      promptTokens: 120,
      tokenType: 'bearer',
      request: {
        headers: {
          Authorization: '[REDACTED]',
          'X-API-Key': '[REDACTED]',
          Cookie: '[REDACTED]',
          accept: 'json',
        },
        body: {
          deep: [
            {
              client_secret: '[REDACTED]',
              refreshToken: '[REDACTED]',
              nested: { accessToken: '[REDACTED]', apiKey: '[REDACTED]' },
            },
          ],
        },
      },
      note: 'called with Bearer [REDACTED] and jwt [REDACTED]',
    });
  });

  it('hashes arguments by default: equal inputs hash equally whatever their key order', async () => {
    const a = await record({ type: 'tool_call', timestamp: 1, arguments: { q: 'x', limit: 5 } });
    const b = await record({ type: 'tool_call', timestamp: 1, arguments: { limit: 5, q: 'x' } });
    const c = await record({ type: 'tool_call', timestamp: 1, arguments: { limit: 6, q: 'x' } });
    expect(a.line.arguments).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.line.arguments).toBe(b.line.arguments);
    expect(a.line.arguments).not.toBe(c.line.arguments);
    expect(a.raw).not.toContain('"q"');
  });

  it('redacts or keeps arguments per option, never keeping secrets inside them', async () => {
    const event = { type: 'tool_call', timestamp: 1, arguments: { title: 'hello', apiToken: 'at-9' } };
    expect((await record(event, { arguments: 'redact' })).line.arguments).toBe('[REDACTED]');
    expect((await record(event, { arguments: 'keep' })).line.arguments).toEqual({
      title: 'hello',
      apiToken: '[REDACTED]',
    });
  });

  it('redacts extra keys given as names or patterns', async () => {
    const { line } = await record(
      { type: 'llm_call', timestamp: 1, ssn: '123', meta: { 'internal-id': 'i-1', customerEmail: 'a@b.c' } },
      { keys: ['ssn', /email/i] },
    );
    expect(line).toMatchObject({
      ssn: '[REDACTED]',
      meta: { 'internal-id': 'i-1', customerEmail: '[REDACTED]' },
    });
  });

  it('writes cyclic, BigInt, Date and Error values without failing', async () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const { line } = await record({
      type: 'execution_fail',
      timestamp: 1,
      cyclic,
      big: 10n,
      at: new Date(0),
      error: new Error('boom with Bearer zzz'),
    });
    expect(line).toMatchObject({
      cyclic: { name: 'loop', self: '[Circular]' },
      big: '10',
      at: '1970-01-01T00:00:00.000Z',
      error: { name: 'Error', message: 'boom with Bearer [REDACTED]' },
    });
  });

  it('does not modify the caller’s event object', async () => {
    const event = { type: 'auth_failure', timestamp: 1, headers: { authorization: 'Bearer x' } };
    await record(event);
    expect(event.headers.authorization).toBe('Bearer x');
  });
});
