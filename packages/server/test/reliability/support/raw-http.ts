import { connect } from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown> | undefined;
}

/**
 * One HTTP/1.1 request written byte for byte on a fresh socket (no client-side validation, so
 * hostile headers, paths and bodies reach the server as sent). Bounded by `timeoutMs`.
 */
export function rawRequest(
  port: number,
  head: string,
  body: Buffer | string = '',
  timeoutMs = 15_000,
  localAddress?: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${head.split('\r\n')[0]}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      const headLines = raw
        .subarray(0, split === -1 ? raw.length : split)
        .toString('latin1')
        .split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headLines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of headLines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rawBody = split === -1 ? Buffer.alloc(0) : raw.subarray(split + 4);
      const payload = (headers['transfer-encoding'] === 'chunked' ? dechunk(rawBody) : rawBody).toString(
        'utf8',
      );
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(payload) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ status, headers, body: payload, json });
    });
    // No half-close: Node ends a socket whose client sent FIN, dropping a response still being made.
    socket.write(head);
    socket.write(body);
  });
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line === -1) break;
    const size = Number.parseInt(rest.subarray(0, line).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(rest.subarray(line + 2, line + 2 + size));
    rest = rest.subarray(line + 2 + size + 2);
  }
  return Buffer.concat(parts);
}

/** A request head with `Connection: close` and the body's length. */
export function headFor(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string = '',
): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (method !== 'GET' || Buffer.byteLength(body) > 0)
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
