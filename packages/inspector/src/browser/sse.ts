import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One server-sent event: its name and its JSON-decoded data. */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` body and yields each event as it arrives (a reader, not async iteration,
 * which not every browser has for streams). Framing is eventsource-parser's: LF, CR or CRLF line ends
 * split anywhere across chunks.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(message) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      for (let message = parsed.shift(); message !== undefined; message = parsed.shift()) {
        yield { event: message.event ?? 'message', data: JSON.parse(message.data) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
