/** `mcpwire trace`: watch an MCP conversation between any client and any server, explained. */
export { TraceCorrelator, type CorrelatorOptions, type ObserveContext } from './correlate.ts';
export { traceStdio, type StdioTraceOptions } from './stdio-proxy.ts';
export { traceHttp, type HttpTraceOptions, type HttpTrace } from './http-proxy.ts';
export { formatRecord, type TextStyle } from './render-text.ts';
export { createJsonlSink, type JsonlSink } from './jsonl.ts';
export type { TraceDirection, TraceFinding, TraceHttp, TraceKind, TraceRecord, TraceSink } from './record.ts';
export { renderTraceHtml, type TraceHtmlOptions } from './html.ts';
