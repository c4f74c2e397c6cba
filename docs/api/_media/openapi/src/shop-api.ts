// A tiny implementation of spec/shop.yaml on node:http: the "existing REST API" ATP puts in front of agents.
// Every route needs `Authorization: Bearer <token>`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShopData, type Order, type OrderLine } from './shop-data.ts';

export interface ShopApi {
  /** Base URL of the API, e.g. `http://127.0.0.1:4010/v1`. */
  url: string;
  close(): Promise<void>;
}

type Reply = [status: number, body?: unknown];

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

function send(response: ServerResponse, [status, body]: Reply): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function startShopApi(options: { token: string; port?: number }): Promise<ShopApi> {
  const data = createShopData();

  const route = async (
    method: string,
    path: string,
    query: URLSearchParams,
    request: IncomingMessage,
  ): Promise<Reply> => {
    if (method === 'GET' && path === '/products') {
      const category = query.get('category');
      const lowStock = query.get('lowStock') === 'true';
      const limit = Number(query.get('limit') ?? 50);
      const found = [...data.products.values()].filter(
        (product) =>
          (!category || product.category === category) &&
          (!lowStock || product.stock <= product.reorderLevel),
      );
      return [200, found.slice(0, limit)];
    }
    const productPath = /^\/products\/([^/]+)(\/stock)?$/.exec(path);
    if (productPath) {
      const product = data.products.get(decodeURIComponent(productPath[1]!));
      if (!product) return [404, { message: `No product with SKU ${productPath[1]}` }];
      if (method === 'GET' && !productPath[2]) return [200, product];
      if (method === 'POST' && productPath[2]) {
        const { delta } = (await readJson(request)) as { delta: number };
        if (product.stock + delta < 0)
          return [409, { message: 'Stock cannot go below zero', available: product.stock }];
        product.stock += delta;
        return [200, product];
      }
    }
    const customerPath = /^\/customers\/([^/]+)$/.exec(path);
    if (method === 'GET' && customerPath) {
      const customer = data.customers.get(decodeURIComponent(customerPath[1]!));
      return customer ? [200, customer] : [404, { message: `No customer ${customerPath[1]}` }];
    }
    if (method === 'GET' && path === '/orders') {
      const status = query.get('status');
      const customerId = query.get('customerId');
      const orders = [...data.orders.values()]
        .filter(
          (order) => (!status || order.status === status) && (!customerId || order.customerId === customerId),
        )
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return [200, orders];
    }
    if (method === 'POST' && path === '/orders') {
      const input = (await readJson(request)) as {
        customerId: string;
        lines: { sku: string; quantity: number }[];
      };
      if (!data.customers.has(input.customerId)) return [404, { message: `No customer ${input.customerId}` }];
      const lines: OrderLine[] = [];
      for (const { sku, quantity } of input.lines) {
        const product = data.products.get(sku);
        if (!product) return [404, { message: `No product with SKU ${sku}` }];
        if (product.stock < quantity) {
          return [409, { message: `Only ${product.stock} of ${sku} in stock`, available: product.stock }];
        }
        lines.push({ sku, quantity, unitPriceCents: product.priceCents });
      }
      for (const item of lines) data.products.get(item.sku)!.stock -= item.quantity;
      const order: Order = {
        id: `O-${data.nextOrderNumber++}`,
        customerId: input.customerId,
        status: 'open',
        lines,
        totalCents: lines.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
        createdAt: new Date().toISOString(),
      };
      data.orders.set(order.id, order);
      return [201, order];
    }
    const orderPath = /^\/orders\/([^/]+)$/.exec(path);
    if (orderPath) {
      const order = data.orders.get(decodeURIComponent(orderPath[1]!));
      if (!order) return [404, { message: `No order ${orderPath[1]}` }];
      if (method === 'GET') return [200, order];
      if (method === 'DELETE') {
        if (order.status !== 'open') return [409, { message: `Order ${order.id} is ${order.status}` }];
        order.status = 'cancelled';
        for (const item of order.lines) data.products.get(item.sku)!.stock += item.quantity;
        return [204];
      }
    }
    return [404, { message: `No route ${method} ${path}` }];
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/v1/')) return send(response, [404, { message: 'Not found' }]);
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      return send(response, [401, { message: 'Missing or invalid bearer token' }]);
    }
    route(request.method ?? 'GET', url.pathname.slice(3), url.searchParams, request).then(
      (reply) => send(response, reply),
      (error: unknown) => send(response, [400, { message: `Bad request: ${(error as Error).message}` }]),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
