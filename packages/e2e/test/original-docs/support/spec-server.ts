import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type Responder = (request: RecordedRequest) => { status?: number; body: unknown } | undefined;

/**
 * A local stand-in for a public API (the suite has no internet): serves the real spec at `/openapi.json`
 * with its `servers` pointing here, records every API call and answers it with `respond`.
 */
export class SpecServer {
  readonly requests: RecordedRequest[] = [];

  private constructor(
    private readonly server: Server,
    private readonly state: { spec: Record<string, unknown>; respond: Responder },
  ) {}

  static async start(specFile: string, respond: Responder): Promise<SpecServer> {
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as Record<string, unknown>;
    let instance: SpecServer | undefined;
    const server = createServer(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === '/openapi.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ...instance!.state.spec, servers: [{ url: instance!.url }] }));
        return;
      }
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: text === '' ? undefined : parse(text),
      };
      instance!.requests.push(recorded);
      const answer = instance!.state.respond(recorded) ?? { status: 404, body: { message: 'Not Found' } };
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
    instance = new SpecServer(server, { spec, respond });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get specUrl(): string {
    return `${this.url}/openapi.json`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
