// The store's GraphQL API: graphql-js over node:http, bearer-token protected. It stands in for your real
// GraphQL service; nothing here is ATP.
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql } from 'graphql';
import { type ProductRecord, type ReviewRecord, seedProducts, seedReviews } from './store-data.ts';

export const SCHEMA_FILE = new URL('../schema/store.graphql', import.meta.url);

export interface StoreApi {
  url: string;
  reviews: ReviewRecord[];
  close(): Promise<void>;
}

export async function startStoreApi(options: { token: string; port?: number }): Promise<StoreApi> {
  const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  const products = seedProducts();
  const reviews = seedReviews();
  let nextReview = reviews.length + 1;

  const productOf = (record: ProductRecord) => {
    const own = () => reviews.filter((review) => review.productId === record.id);
    return {
      ...record,
      reviews: own,
      rating: () => {
        const ratings = own().map((review) => review.rating);
        return ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length;
      },
      costPrice: () => {
        throw new Error(`cost prices are restricted (product ${record.id})`);
      },
    };
  };

  const rootValue = {
    products: ({ first, after, category }: { first: number; after?: string; category?: string }) => {
      const all = products.filter((product) => category === undefined || product.category === category);
      const start = after === undefined ? 0 : all.findIndex((product) => product.id === after) + 1;
      const page = all.slice(start, start + first);
      return {
        totalCount: all.length,
        pageInfo: { hasNextPage: start + first < all.length, endCursor: page.at(-1)?.id ?? null },
        nodes: page.map(productOf),
      };
    },
    product: ({ id }: { id: string }) => {
      const found = products.find((product) => product.id === id);
      return found ? productOf(found) : null;
    },
    searchProducts: ({ text }: { text: string }) =>
      products.filter((product) => product.name.toLowerCase().includes(text.toLowerCase())).map(productOf),
    addReview: ({ review }: { review: { productId: string; rating: number; text?: string } }) => {
      if (!products.some((product) => product.id === review.productId)) {
        throw new Error(`no product ${review.productId}`);
      }
      if (review.rating < 1 || review.rating > 5) throw new Error('rating must be from 1 to 5');
      const record: ReviewRecord = {
        id: `R-${nextReview++}`,
        productId: review.productId,
        rating: review.rating,
        text: review.text ?? null,
        author: 'agent',
      };
      reviews.push(record);
      return record;
    },
    deleteReview: ({ id }: { id: string }) => {
      const index = reviews.findIndex((review) => review.id === id);
      if (index >= 0) reviews.splice(index, 1);
      return index >= 0;
    },
  };

  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/graphql') {
      return send(response, 404, { errors: [{ message: 'POST /graphql' }] });
    }
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      return send(response, 401, { errors: [{ message: 'a valid bearer token is required' }] });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(response, 400, { errors: [{ message: 'the body must be JSON' }] });
    }
    const result = await graphql({
      schema,
      source: body.query ?? '',
      rootValue,
      variableValues: body.variables ?? null,
    });
    send(response, 200, result);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    reviews,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
