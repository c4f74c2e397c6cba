// Serves a Backend over HTTP exactly as its OpenAPI spec describes it (path templates, typed query
// parameters, JSON bodies), and derives the MCP tool list of the same operations.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend, JsonObject, ToolSpec } from './types.ts';

interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema?: JsonObject;
}

interface SpecOperation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonObject }> };
}

export interface Operation {
  method: string;
  pathTemplate: string;
  pattern: RegExp;
  pathNames: string[];
  definition: SpecOperation;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function readSpec(specFile: string): JsonObject {
  return JSON.parse(readFileSync(new URL(`./specs/${specFile}`, import.meta.url), 'utf8')) as JsonObject;
}

export function operationsOf(spec: JsonObject): Operation[] {
  const operations: Operation[] = [];
  for (const [pathTemplate, item] of Object.entries(spec.paths as Record<string, Record<string, unknown>>)) {
    for (const method of METHODS) {
      const definition = item[method] as SpecOperation | undefined;
      if (!definition) continue;
      const pathNames: string[] = [];
      const source = pathTemplate.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name) => {
        pathNames.push(name);
        return '([^/]+)';
      });
      operations.push({
        method: method.toUpperCase(),
        pathTemplate,
        pattern: new RegExp(`^${source}$`),
        pathNames,
        definition,
      });
    }
  }
  return operations;
}

/** The MCP tool name of an operation: `messages/list` → `messages_list`. */
export function toolName(operationId: string): string {
  return operationId.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The MCP tools of a spec: the same inputs as the OpenAPI functions (parameters by name, `body`). */
export function toolsOf(spec: JsonObject): Array<ToolSpec & { operationId: string }> {
  return operationsOf(spec).map(({ definition }) => {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const parameter of definition.parameters ?? []) {
      properties[parameter.name] = {
        ...(parameter.schema ?? {}),
        ...(parameter.description ? { description: parameter.description } : {}),
      };
      if (parameter.required || parameter.in === 'path') required.push(parameter.name);
    }
    const body = definition.requestBody?.content['application/json']?.schema;
    if (body) {
      properties.body = body;
      if (definition.requestBody?.required) required.push('body');
    }
    return {
      name: toolName(definition.operationId),
      operationId: definition.operationId,
      description: [definition.summary, definition.description].filter(Boolean).join('. '),
      inputSchema: { type: 'object', properties, required },
    };
  });
}

function coerce(value: string, schema: JsonObject | undefined): unknown {
  if (schema?.type === 'integer' || schema?.type === 'number') return Number(value);
  if (schema?.type === 'boolean') return value === 'true';
  return value;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

export interface ServedBackend {
  url: string;
  /** Requests received so far, per operationId (counted whether the handler succeeded or not). */
  requests(): Record<string, number>;
  close(): Promise<void>;
}

/** Counts requests per operationId. */
export class RequestCounter {
  private readonly counts = new Map<string, number>();

  count(operationId: string): void {
    this.counts.set(operationId, (this.counts.get(operationId) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Starts the backend on a free loopback port. A handler that throws answers 400 with its message. */
export async function serveBackend(backend: Backend): Promise<ServedBackend> {
  const operations = operationsOf(backend.spec);
  const received = new RequestCounter();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      for (const operation of operations) {
        if (operation.method !== request.method) continue;
        const match = operation.pattern.exec(url.pathname);
        if (!match) continue;
        const input: Record<string, unknown> = {};
        const parameters = operation.definition.parameters ?? [];
        operation.pathNames.forEach((name, index) => {
          const schema = parameters.find((p) => p.name === name)?.schema;
          input[name] = coerce(decodeURIComponent(match[index + 1]!), schema);
        });
        for (const parameter of parameters) {
          const raw = parameter.in === 'query' ? url.searchParams.get(parameter.name) : null;
          if (raw !== null) input[parameter.name] = coerce(raw, parameter.schema);
        }
        const body = await readJson(request);
        if (body !== undefined) input.body = body;
        received.count(operation.definition.operationId);
        const handler = backend.handlers[operation.definition.operationId];
        if (!handler)
          return send(response, 501, { message: `no handler for ${operation.definition.operationId}` });
        try {
          return send(response, 200, await handler(input));
        } catch (error) {
          return send(response, 400, { message: error instanceof Error ? error.message : String(error) });
        }
      }
      send(response, 404, { message: `no operation for ${request.method} ${url.pathname}` });
    })().catch((error: unknown) => send(response, 500, { message: String(error) }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => received.snapshot(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Throws a client error (→ 400 over HTTP, `isError` over MCP) naming the bad input. */
export function badInput(message: string): never {
  throw new Error(message);
}

/** Pages `items` the way the scenario APIs do: 1-based `page`, `nextPage` null on the last page. */
export function paginate<T>(items: readonly T[], page: unknown, pageSize: unknown, maxPageSize: number) {
  const size = Math.min(maxPageSize, Math.max(1, Number(pageSize ?? maxPageSize)));
  const current = Math.max(1, Number(page ?? 1));
  const slice = items.slice((current - 1) * size, current * size);
  return {
    items: slice,
    page: current,
    nextPage: current * size < items.length ? current + 1 : null,
    total: items.length,
  };
}
