import { extractTraceContext, injectTraceContext } from '@agent-tool-protocol/engine';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('W3C trace context without an SDK', () => {
  it('extracts a remote span context with its flags and tracestate', () => {
    const extracted = extractTraceContext({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      tracestate: ['vendor=a', 'other=b'],
    });
    const spanContext = trace.getSpanContext(extracted);
    expect(spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(spanContext?.traceState?.get('vendor')).toBe('a');
    expect(spanContext?.traceState?.serialize()).toBe('vendor=a,other=b');
  });

  it('ignores malformed, all-zero, version ff and over-long version 00 headers', () => {
    for (const traceparent of [
      'garbage',
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `ff-${TRACE_ID}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${SPAN_ID}-01-extra`,
      `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
    ]) {
      expect(trace.getSpanContext(extractTraceContext({ traceparent }))).toBeUndefined();
    }
    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
  });

  it('accepts a later version with extra fields, as the spec asks', () => {
    const extracted = extractTraceContext({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-00-more` });
    expect(trace.getSpanContext(extracted)).toMatchObject({ traceId: TRACE_ID, traceFlags: 0 });
  });

  it('injects what it extracted, and nothing without a valid span', () => {
    const headers: Record<string, string> = {};
    injectTraceContext(
      extractTraceContext({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'k=v' }),
      headers,
    );
    expect(headers).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'k=v' });
    const none: Record<string, string> = {};
    injectTraceContext(ROOT_CONTEXT, none);
    expect(none).toEqual({});
  });
});
