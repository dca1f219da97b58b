/** mcpwire/conformance: checks messages against the MCP spec's own JSON schemas. */
export { SCHEMA_VERSIONS, resolveSchemaDir } from './schema.ts';
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
