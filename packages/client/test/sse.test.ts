import { readServerSentEvents } from '../src/sse';

/** A body that delivers `text` in the given pieces. */
function bodyOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function eventsOf(pieces: string[]) {
  const events = [];
  for await (const event of readServerSentEvents(bodyOf(pieces))) events.push(event);
  return events;
}

const STREAM =
  'event: progress\r\ndata: {"message":"half","fraction":0.5}\r\n\r\n' +
  ': a comment line\r\n' +
  'event: log\r\ndata: {"level":"info",\r\ndata: "message":"two lines"}\r\n\r\n' +
  'event: result\r\ndata: {"status":"completed","result":"é ✓"}\r\n\r\n';

const EXPECTED = [
  { event: 'progress', data: { message: 'half', fraction: 0.5 } },
  { event: 'log', data: { level: 'info', message: 'two lines' } },
  { event: 'result', data: { status: 'completed', result: 'é ✓' } },
];

describe('readServerSentEvents', () => {
  it('reads CRLF events whose blank line is split across chunks: "\\r\\n\\r" | "\\n"', async () => {
    const cut = STREAM.indexOf('\r\n\r\n') + 3;
    expect(STREAM.slice(cut - 3, cut)).toBe('\r\n\r');
    expect(await eventsOf([STREAM.slice(0, cut), STREAM.slice(cut)])).toEqual(EXPECTED);
  });

  it('gives the same events wherever the stream is cut, in bytes, even inside a UTF-8 character', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut));
          controller.close();
        },
      });
      const events = [];
      for await (const event of readServerSentEvents(body)) events.push(event);
      expect(events).toEqual(EXPECTED);
    }
  });

  it('reads LF and lone-CR line ends; an event cut off before its blank line is dropped', async () => {
    expect(await eventsOf(['event: a\ndata: 1\n\n', 'event: b\rdata: 2\r\r', 'data: {"cut":'])).toEqual([
      { event: 'a', data: 1 },
      { event: 'b', data: 2 },
    ]);
  });

  it('skips events without data', async () => {
    expect(await eventsOf(['event: ping\r\n\r\n', 'data: true\r\n\r\n'])).toEqual([
      { event: 'message', data: true },
    ]);
  });
});
