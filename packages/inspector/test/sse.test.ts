import { readServerSentEvents } from '../src/browser/sse';

async function eventsOf(pieces: Uint8Array[]) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  const events = [];
  for await (const event of readServerSentEvents(body)) events.push(event);
  return events;
}

describe("the inspector page's server-sent events reader", () => {
  const stream =
    'event: log\r\ndata: {"level":"info","message":"hello"}\r\n\r\n' +
    'event: result\r\ndata: {"status":"completed","result":[1,2]}\r\n\r\n';
  const expected = [
    { event: 'log', data: { level: 'info', message: 'hello' } },
    { event: 'result', data: { status: 'completed', result: [1, 2] } },
  ];

  it('reads a CRLF blank line split across chunks ("\\r\\n\\r" | "\\n")', async () => {
    const bytes = new TextEncoder().encode(stream);
    const cut = stream.indexOf('\r\n\r\n') + 3;
    expect(await eventsOf([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(expected);
  });

  it('gives the same events wherever the bytes are cut', async () => {
    const bytes = new TextEncoder().encode(stream);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await eventsOf([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(expected);
    }
  });
});
