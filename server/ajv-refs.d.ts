// ajv's draft-07 meta-schema, imported as a JSON module (schema-dialects.ts). Declared here
// rather than by turning on `resolveJsonModule` for the whole project.
declare module 'ajv/dist/refs/json-schema-draft-07.json' {
  import type { AnySchemaObject } from 'ajv/dist/core.js';
  const metaSchema: AnySchemaObject;
  export default metaSchema;
}
