/** mcpwire conformance: checks messages against the MCP spec's own JSON schemas. */
export {
  SCHEMA_VERSIONS, SCHEMA_DIR_ENV, isSchemaVersion, resolveSchemaDir, loadSchema, hasDefinition, resolveDefinition,
  getValidator,
} from './schema.ts';
export type { SchemaVersion, JsonSchema, SchemaIssue, DefinitionCheck, LoadedSchema } from './schema.ts';
export { DIRECTIONS, opposite, getMethodMap, unionMembers, methodOf } from './method-map.ts';
export type { Direction, MethodMap, RequestEntry, NotificationEntry, UnionNames, EnvelopeNames } from './method-map.ts';
export { createMessageValidator, validateAs, RULES } from './validate.ts';
export type { Violation, MessageValidator, ValidateContext } from './validate.ts';
export { createSchemaTap } from './tap.ts';
export type { SchemaTap, SchemaTapOptions, TappedMessage } from './tap.ts';
export { playClientScenario } from './client-leg.ts';
export { registerFixtures, FIXTURE_PROMPTS, FIXTURE_RESOURCES, FIXTURE_TOOLS } from './fixtures/index.ts';
