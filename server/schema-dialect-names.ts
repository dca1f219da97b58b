/**
 * The two JSON Schema dialects a schema may use (2025-11-25 basic, JSON Schema usage: 2020-12
 * by default, draft-07 when declared), by name: what the server needs before ajv is loaded.
 */

/** 2020-12 meta-schema URI; also the dialect used when `$schema` is absent. */
export const DIALECT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
/** draft-07 meta-schema URI (accepted with or without the trailing `#`). */
export const DIALECT_DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** A JSON Schema dialect this server compiles. */
export type Dialect = '2020-12' | 'draft-07';
