/** Span, metric and attribute names (docs/observability.md lists them; keep both in step). */
export const SPAN = {
  execution: 'atp.execution',
  toolCall: 'atp.tool_call',
  callbackRoundTrip: 'atp.callback.round_trip',
} as const;

export const METRIC = {
  executions: 'atp.executions',
  executionDuration: 'atp.execution.duration',
  executionsActive: 'atp.executions.active',
  executionsPausedHot: 'atp.executions.paused_hot',
  pauses: 'atp.execution.pauses',
  resumes: 'atp.execution.resumes',
  roundTripDuration: 'atp.callback.round_trip.duration',
  toolCalls: 'atp.tool_calls',
  toolCallDuration: 'atp.tool_call.duration',
  llmCalls: 'atp.llm.calls',
  llmTokens: 'atp.llm.tokens',
  isolatePoolSize: 'atp.isolate_pool.size',
  rejectedRequests: 'atp.http.rejected_requests',
  httpDuration: 'http.server.request.duration',
} as const;

export const ATTR = {
  executionId: 'atp.execution.id',
  clientId: 'atp.client.id',
  status: 'atp.execution.status',
  durationMs: 'atp.execution.active_ms',
  continued: 'atp.execution.continued',
  pauses: 'atp.execution.pauses',
  toolCalls: 'atp.execution.tool_calls',
  llmCalls: 'atp.execution.llm_calls',
  approvalCalls: 'atp.execution.approval_calls',
  inputTokens: 'atp.execution.input_tokens',
  outputTokens: 'atp.execution.output_tokens',
  bytesReturned: 'atp.execution.bytes_returned',
  toolGroup: 'atp.tool.group',
  toolFunction: 'atp.tool.function',
  toolPath: 'atp.tool.path',
  toolStatus: 'atp.tool.status',
  toolBytesIn: 'atp.tool.bytes_in',
  toolBytesOut: 'atp.tool.bytes_out',
  callbackCount: 'atp.callback.count',
  callbackTypes: 'atp.callback.types',
  resumeMode: 'atp.resume.mode',
  tokenType: 'atp.token.type',
  errorType: 'error.type',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  urlPath: 'url.path',
} as const;

/** Kept from before the engine left the server package, so dashboards filtering on the scope still match. */
export const INSTRUMENTATION_SCOPE = '@agent-tool-protocol/server';
