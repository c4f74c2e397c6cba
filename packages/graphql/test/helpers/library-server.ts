import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, type GraphQLSchema, graphql } from 'graphql';

/** The library API's schema: enums, input objects, an interface, a union, a Relay connection, a mutation. */
export const LIBRARY_SDL = /* GraphQL */ `
"""A small library: books, authors and reviews."""
schema {
  query: Query
  mutation: Mutation
}

enum Genre {
  SCIENCE_FICTION
  FANTASY
  MYSTERY
}

interface Node {
  id: ID!
}

"""Someone who writes books."""
type Author implements Node {
  id: ID!
  name: String!
  born: Int
  books: [Book!]!
}

type Review {
  rating: Int!
  text: String
  reviewer: String!
}

type Book implements Node {
  id: ID!
  "The title as printed on the cover."
  title: String!
  year: Int
  genre: Genre!
  tags: [String!]!
  author: Author!
  reviews(first: Int): [Review!]!
  similar(first: Int, after: String): BookConnection!
  rating: Float
  "Fails for every book: the tests' partial-data case."
  secretNote(reason: String!): String
  oldTitle: String @deprecated(reason: "Use title.")
  excerpt(chars: Int!): String!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type BookEdge {
  cursor: String!
  node: Book!
}

type BookConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [BookEdge!]!
  nodes: [Book!]!
}

union SearchResult = Book | Author

input BookFilter {
  genre: Genre
  minYear: Int
  tags: [String!]
}

input NewBook {
  title: String!
  year: Int
  genre: Genre!
  authorId: ID!
  tags: [String!] = []
}

input ReviewInput {
  bookId: ID!
  rating: Int!
  text: String
}

"""What the server saw of the request (the tests' echo of credentials)."""
type RequestEcho {
  authorization: String
  apiKey: String
  query: String
}

type Query {
  "One book by id."
  book(id: ID!): Book
  "Books, newest first, a page at a time."
  books(first: Int = 10, after: String, filter: BookFilter): BookConnection!
  author(id: ID!): Author
  search(text: String!): [SearchResult!]!
  node(id: ID!): Node
  "Returns its argument unchanged."
  echo(text: String!): String!
  request: RequestEcho!
  "Always fails."
  broken: Book
}

type Mutation {
  addBook(input: NewBook!): Book!
  addReview(review: ReviewInput!): Review!
  deleteBook(id: ID!): Boolean!
}
`;

interface AuthorRecord {
  id: string;
  name: string;
  born: number | null;
}
interface BookRecord {
  id: string;
  title: string;
  year: number | null;
  genre: string;
  tags: string[];
  authorId: string;
}
interface ReviewRecord {
  bookId: string;
  rating: number;
  text: string | null;
  reviewer: string;
}

export interface RecordedGraphQLRequest {
  headers: IncomingHttpHeaders;
  /** Path and raw query string. */
  url: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

export type Responder = (
  request: RecordedGraphQLRequest,
  response: ServerResponse,
) => boolean | Promise<boolean>;

/**
 * A real GraphQL server (graphql-js over node:http on 127.0.0.1, port 0) with an in-memory library.
 * It records every request; `intercept` may answer one itself (return true) to simulate failures.
 * With `token`, requests without `authorization: Bearer <token>` get HTTP 401.
 */
export class LibraryServer {
  readonly requests: RecordedGraphQLRequest[] = [];
  readonly authors = new Map<string, AuthorRecord>();
  readonly books = new Map<string, BookRecord>();
  readonly reviews: ReviewRecord[] = [];
  readonly schema: GraphQLSchema = buildSchema(LIBRARY_SDL);
  intercept: Responder | undefined;
  private server: Server | undefined;
  private nextId = 100;

  constructor(private readonly token?: string) {
    this.reset();
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/graphql`;
  }

  get last(): RecordedGraphQLRequest {
    const request = this.requests.at(-1);
    if (!request) throw new Error('no request recorded');
    return request;
  }

  reset(): void {
    this.authors.clear();
    this.books.clear();
    this.reviews.length = 0;
    this.authors.set('au_1', { id: 'au_1', name: 'Ursula K. Le Guin', born: 1929 });
    this.authors.set('au_2', { id: 'au_2', name: 'Frank Herbert', born: 1920 });
    const books: BookRecord[] = [
      {
        id: 'bk_1',
        title: 'A Wizard of Earthsea',
        year: 1968,
        genre: 'FANTASY',
        tags: ['classic'],
        authorId: 'au_1',
      },
      {
        id: 'bk_2',
        title: 'The Left Hand of Darkness',
        year: 1969,
        genre: 'SCIENCE_FICTION',
        tags: ['classic', 'award'],
        authorId: 'au_1',
      },
      { id: 'bk_3', title: 'Dune', year: 1965, genre: 'SCIENCE_FICTION', tags: ['award'], authorId: 'au_2' },
      {
        id: 'bk_4',
        title: 'The Dispossessed',
        year: 1974,
        genre: 'SCIENCE_FICTION',
        tags: ['award'],
        authorId: 'au_1',
      },
    ];
    for (const book of books) this.books.set(book.id, book);
    this.reviews.push(
      { bookId: 'bk_3', rating: 5, text: 'Spice!', reviewer: 'ada' },
      { bookId: 'bk_3', rating: 4, text: null, reviewer: 'grace' },
    );
  }

  async start(): Promise<this> {
    this.server = createServer(async (incoming, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      let body: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        send(response, 400, { errors: [{ message: 'body must be JSON' }] });
        return;
      }
      const request: RecordedGraphQLRequest = {
        headers: incoming.headers,
        url: incoming.url ?? '/',
        query: String(body.query ?? ''),
        variables: body.variables as Record<string, unknown> | undefined,
        operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
      };
      this.requests.push(request);
      if (this.intercept && (await this.intercept(request, response))) return;
      if (this.token !== undefined && incoming.headers.authorization !== `Bearer ${this.token}`) {
        send(response, 401, { errors: [{ message: 'missing or wrong token' }] });
        return;
      }
      const result = await graphql({
        schema: this.schema,
        source: request.query,
        rootValue: this.root(request),
        ...(request.variables ? { variableValues: request.variables } : {}),
      });
      send(response, 200, result);
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private root(request: RecordedGraphQLRequest) {
    const books = () => [...this.books.values()].sort((a, b) => (b.year ?? 0) - (a.year ?? 0));
    return {
      book: ({ id }: { id: string }) => this.bookOf(this.books.get(id)),
      books: ({
        first,
        after,
        filter,
      }: {
        first: number;
        after?: string;
        filter?: Record<string, unknown>;
      }) =>
        this.connection(
          books().filter((book) => matchesFilter(book, filter)),
          first,
          after,
        ),
      author: ({ id }: { id: string }) => this.authorOf(this.authors.get(id)),
      search: ({ text }: { text: string }) => {
        const needle = text.toLowerCase();
        return [
          ...books()
            .filter((book) => book.title.toLowerCase().includes(needle))
            .map((book) => this.bookOf(book)),
          ...[...this.authors.values()]
            .filter((author) => author.name.toLowerCase().includes(needle))
            .map((author) => this.authorOf(author)),
        ];
      },
      node: ({ id }: { id: string }) =>
        this.bookOf(this.books.get(id)) ?? this.authorOf(this.authors.get(id)),
      echo: ({ text }: { text: string }) => text,
      request: () => ({
        authorization: request.headers.authorization ?? null,
        apiKey: (request.headers['x-api-key'] as string | undefined) ?? null,
        query: request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : null,
      }),
      broken: () => {
        throw new Error(
          `the broken field always fails (request had ${request.headers.authorization ?? 'no auth'})`,
        );
      },
      addBook: ({ input }: { input: Omit<BookRecord, 'id'> & { year?: number } }) => {
        if (!this.authors.has(input.authorId)) throw new Error(`no author ${input.authorId}`);
        const book: BookRecord = {
          id: `bk_${this.nextId++}`,
          title: input.title,
          year: input.year ?? null,
          genre: input.genre,
          tags: input.tags ?? [],
          authorId: input.authorId,
        };
        this.books.set(book.id, book);
        return this.bookOf(book);
      },
      addReview: ({ review }: { review: { bookId: string; rating: number; text?: string } }) => {
        if (!this.books.has(review.bookId)) throw new Error(`no book ${review.bookId}`);
        if (review.rating < 1 || review.rating > 5) throw new Error('rating must be 1 to 5');
        const record: ReviewRecord = { ...review, text: review.text ?? null, reviewer: 'agent' };
        this.reviews.push(record);
        return record;
      },
      deleteBook: ({ id }: { id: string }) => this.books.delete(id),
    };
  }

  private bookOf(book: BookRecord | undefined): Record<string, unknown> | null {
    if (book === undefined) return null;
    return {
      __typename: 'Book',
      ...book,
      author: () => this.authorOf(this.authors.get(book.authorId)),
      reviews: ({ first }: { first?: number }) =>
        this.reviews.filter((review) => review.bookId === book.id).slice(0, first ?? undefined),
      similar: ({ first, after }: { first?: number; after?: string }) =>
        this.connection(
          [...this.books.values()].filter((other) => other.id !== book.id && other.genre === book.genre),
          first ?? 10,
          after,
        ),
      rating: () => {
        const ratings = this.reviews
          .filter((review) => review.bookId === book.id)
          .map((review) => review.rating);
        return ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length;
      },
      secretNote: () => {
        throw new Error(`no access to the note of ${book.id}`);
      },
      oldTitle: book.title,
      excerpt: ({ chars }: { chars: number }) => book.title.slice(0, chars),
    };
  }

  private authorOf(author: AuthorRecord | undefined): Record<string, unknown> | null {
    if (author === undefined) return null;
    return {
      __typename: 'Author',
      ...author,
      books: () =>
        [...this.books.values()]
          .filter((book) => book.authorId === author.id)
          .map((book) => this.bookOf(book)),
    };
  }

  private connection(all: BookRecord[], first: number, after: string | undefined): Record<string, unknown> {
    const start = after === undefined ? 0 : all.findIndex((book) => book.id === after) + 1;
    const page = all.slice(start, start + first);
    const nodes = page.map((book) => this.bookOf(book));
    return {
      totalCount: all.length,
      pageInfo: {
        hasNextPage: start + first < all.length,
        hasPreviousPage: start > 0,
        startCursor: page[0]?.id ?? null,
        endCursor: page.at(-1)?.id ?? null,
      },
      edges: nodes.map((node, index) => ({ cursor: page[index]!.id, node })),
      nodes,
    };
  }
}

function matchesFilter(book: BookRecord, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  if (filter.genre && book.genre !== filter.genre) return false;
  if (typeof filter.minYear === 'number' && (book.year ?? 0) < filter.minYear) return false;
  if (Array.isArray(filter.tags) && !filter.tags.every((tag) => book.tags.includes(tag as string)))
    return false;
  return true;
}

export function send(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
  return true;
}
