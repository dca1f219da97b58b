/** mcpwire/conformance: checks messages against the MCP spec's own JSON schemas. */
export { SCHEMA_VERSIONS, resolveSchemaDir, ensureSchemaDir } from './schema.ts';
export { downloadSchemas } from './schema-cache.ts';
export type { DownloadOptions } from './schema-cache.ts';
export type { SchemaVersion, JsonSchema, SchemaIssue } from './schema.ts';
export type { Direction } from './method-map.ts';
export { createMessageValidator, validateAs } from './validate.ts';
export type { Violation, MessageValidator, ValidateContext } from './validate.ts';
export { createSchemaTap } from './tap.ts';
export type { SchemaTap, SchemaTapOptions, TappedMessage } from './tap.ts';
export { playClientScenario } from './client-leg.ts';
export { conformanceAuth } from './client-auth.ts';
export { registerFixtures, registerFixtureTaskTools } from './fixtures/index.ts';
export type { FixtureTaskOptions } from './fixtures/index.ts';
export { TraceCorrelator, traceStdio, traceHttp, formatRecord, createJsonlSink, renderTraceHtml } from './trace/index.ts';
export type {
  CorrelatorOptions, ObserveContext, StdioTraceOptions, HttpTraceOptions, HttpTrace, TraceHtmlOptions, TextStyle, JsonlSink,
  TraceDirection, TraceFinding, TraceHttp, TraceKind, TraceRecord, TraceSink,
} from './trace/index.ts';
export * from './check/index.ts';
