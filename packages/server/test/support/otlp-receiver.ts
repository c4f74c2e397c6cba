import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  statusCode: number;
  links: Array<{ traceId: string; spanId: string }>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  resource: Record<string, unknown>;
}

export interface ReceivedPoint {
  metric: string;
  kind: 'sum' | 'gauge' | 'histogram';
  attributes: Record<string, unknown>;
  /** The sum or gauge value; for histograms the number of recordings. */
  value: number;
  /** Histograms: the sum of recordings. */
  sum?: number;
}

function decodeAnyValue(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeAnyValue);
  return undefined;
}

const attributesOf = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, decodeAnyValue(value)]));

const nanosToMs = (nanos: string | number | undefined) => Number(BigInt(nanos ?? 0) / 1_000_000n);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

/** A real OTLP/HTTP receiver on port 0 that decodes OTLP/JSON traces and metrics. */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const points: ReceivedPoint[] = [];
  const contentTypes = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const text = await readBody(req);
    contentTypes.add(String(req.headers['content-type']));
    const body = JSON.parse(text);
    if (req.url === '/v1/traces') {
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind,
              startMs: nanosToMs(span.startTimeUnixNano),
              endMs: nanosToMs(span.endTimeUnixNano),
              attributes: attributesOf(span.attributes),
              statusCode: span.status?.code ?? 0,
              links: (span.links ?? []).map((link: { traceId: string; spanId: string }) => ({
                traceId: link.traceId,
                spanId: link.spanId,
              })),
              events: (span.events ?? []).map((event: { name: string; attributes?: KeyValue[] }) => ({
                name: event.name,
                attributes: attributesOf(event.attributes),
              })),
              resource,
            });
          }
        }
      }
    } else if (req.url === '/v1/metrics') {
      for (const resourceMetrics of body.resourceMetrics ?? []) {
        for (const scope of resourceMetrics.scopeMetrics ?? []) {
          for (const metric of scope.metrics ?? []) {
            const kind = metric.sum
              ? 'sum'
              : metric.gauge
                ? 'gauge'
                : metric.histogram
                  ? 'histogram'
                  : undefined;
            if (!kind) continue;
            for (const point of metric[kind].dataPoints ?? []) {
              points.push({
                metric: metric.name,
                kind,
                attributes: attributesOf(point.attributes),
                value:
                  kind === 'histogram' ? Number(point.count) : Number(point.asInt ?? point.asDouble ?? 0),
                ...(kind === 'histogram' ? { sum: Number(point.sum ?? 0) } : {}),
              });
            }
          }
        }
      }
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    traceEndpoint: `${url}/v1/traces`,
    metricsEndpoint: `${url}/v1/metrics`,
    spans,
    points,
    contentTypes,
    /** The latest reported value of a metric's points matching `attributes` (cumulative temporality). */
    latest(metric: string, attributes: Record<string, unknown> = {}): ReceivedPoint | undefined {
      return points.findLast(
        (point) =>
          point.metric === metric &&
          Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
