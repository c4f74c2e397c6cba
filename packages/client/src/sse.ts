import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One server-sent event: its name and its JSON-decoded data. */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` body and yields each event as it arrives. Framing (LF, CR or CRLF line
 * ends, split anywhere across chunks; comments; multi-line data) is eventsource-parser's; as the SSE
 * spec says, an event cut off before its blank line (a dropped connection) is not dispatched.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(message) });
  const decoder = new TextDecoder();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    yield* drain(parsed);
  }
  parser.feed(decoder.decode());
  yield* drain(parsed);
}

function* drain(parsed: EventSourceMessage[]): Generator<ServerSentEvent> {
  for (let message = parsed.shift(); message !== undefined; message = parsed.shift()) {
    yield { event: message.event ?? 'message', data: JSON.parse(message.data) };
  }
}
