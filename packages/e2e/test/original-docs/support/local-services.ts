import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { embedText } from './harness';

/** Records every POST it receives: a stand-in for an OTLP/HTTP collector (`localhost:4318` in the README). */
export class Collector {
  readonly posts: Array<{ path: string; body: unknown }> = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Collector> {
    let instance: Collector | undefined;
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      instance!.posts.push({ path: request.url ?? '/', body: text ? JSON.parse(text) : undefined });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    instance = new Collector(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Speaks OpenAI's `POST /embeddings` (float or base64 encoding), so `new OpenAIEmbeddings()` runs unchanged
 * against `OPENAI_BASE_URL`; vectors are bag-of-letters (embedText), good enough to rank.
 */
export class FakeOpenAI {
  readonly inputs: string[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeOpenAI> {
    let instance: FakeOpenAI | undefined;
    const server = createServer(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text || '{}') as { input: string | string[]; encoding_format?: string };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      instance!.inputs.push(...inputs);
      const data = inputs.map((input, index) => {
        const vector = embedText(input);
        const embedding =
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector;
        return { object: 'embedding', index, embedding };
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ object: 'list', data, model: 'fake', usage: { prompt_tokens: 1, total_tokens: 1 } }),
      );
    });
    instance = new FakeOpenAI(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
