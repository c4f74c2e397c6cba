import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Book {
  id: string;
  title: string;
  year: number | null;
  tags: string[];
  authorId?: string;
}

/**
 * A small in-memory implementation of test/fixtures/bookshelf.yaml (the parts a demo needs): list/create/get/
 * delete books, authors with their books, login, health. Bearer token `demo-token` is required except for
 * /v1/login and /v1/health. `GET /v1/books?limit=101` (and more) answers 400 echoing the request headers.
 */
export class BookshelfServer {
  private server: Server | undefined;
  private nextId = 3;
  readonly books = new Map<string, Book>([
    ['bk_1', { id: 'bk_1', title: 'Dune', year: 1965, tags: ['sf', 'classic'], authorId: 'au_1' }],
    ['bk_2', { id: 'bk_2', title: 'Children of Dune', year: 1976, tags: ['sf'], authorId: 'au_1' }],
  ]);
  readonly authors = new Map([['au_1', { id: 'au_1', name: 'Frank Herbert' }]]);

  constructor(readonly token = 'demo-token') {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        send(response, 500, { message: String(error) }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /v1/health') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
      return;
    }
    if (route === 'POST /v1/login') {
      const form = new URLSearchParams(await readBody(request));
      if (form.get('password') !== 'secret') return send(response, 401, { message: 'bad credentials' });
      return send(response, 200, { token: this.token, expiresIn: 3600 });
    }
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return send(response, 401, { message: 'missing or invalid bearer token' });
    }
    if (route === 'GET /v1/books') {
      const tags = url.searchParams.getAll('tag');
      const limit = Number(url.searchParams.get('limit') ?? 20);
      // Like many real APIs in debug mode, a bad request echoes what it received, credentials included.
      if (limit > 100) {
        return send(response, 400, { message: 'limit must be at most 100', received: request.headers });
      }
      const books = [...this.books.values()].filter(
        (b) => tags.length === 0 || b.tags.some((t) => tags.includes(t)),
      );
      return send(
        response,
        200,
        books.slice(0, limit).map((b) => this.present(b)),
      );
    }
    if (route === 'POST /v1/books') {
      const input = JSON.parse(await readBody(request)) as Partial<Book>;
      if (typeof input.title !== 'string') return send(response, 400, { message: 'title is required' });
      const book: Book = {
        id: `bk_${this.nextId++}`,
        title: input.title,
        year: input.year ?? null,
        tags: input.tags ?? [],
      };
      if (input.authorId) book.authorId = input.authorId;
      this.books.set(book.id, book);
      return send(response, 201, this.present(book));
    }
    const bookMatch = /^\/v1\/books\/([^/]+)$/.exec(url.pathname);
    if (bookMatch) {
      const id = decodeURIComponent(bookMatch[1]!);
      const book = this.books.get(id);
      if (!book) return send(response, 404, { message: `no book ${id}` });
      if (request.method === 'GET') return send(response, 200, this.present(book));
      if (request.method === 'DELETE') {
        this.books.delete(id);
        response.writeHead(204);
        response.end();
        return;
      }
    }
    const authorMatch = /^\/v1\/authors\/([^/]+)$/.exec(url.pathname);
    if (authorMatch && request.method === 'GET') {
      const author = this.authors.get(decodeURIComponent(authorMatch[1]!));
      if (!author) return send(response, 404, { message: 'no such author' });
      const books = [...this.books.values()]
        .filter((b) => b.authorId === author.id)
        .map((b) => this.present(b, false));
      return send(response, 200, { ...author, books });
    }
    send(response, 404, { message: `no route ${route}` });
  }

  private present(book: Book, withAuthor = true) {
    const { authorId, ...rest } = book;
    const author = authorId ? this.authors.get(authorId) : undefined;
    return withAuthor && author ? { ...rest, author } : rest;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
