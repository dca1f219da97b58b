/**
 * The walk made over a JSON Schema before it is compiled, by the server (its tools' and
 * prompts' schemas) and by the client (a server's listed `outputSchema`): it bounds depth and
 * size (2026-07-28 basic, JSON Schema usage: validators SHOULD bound depth and subschema count) and turns
 * a cyclic object into a clear error instead of a stack overflow.
 */

/** Default deepest nesting of objects and arrays in a schema. */
export const DEFAULT_MAX_SCHEMA_DEPTH = 64;
/** Default most objects and arrays (subschemas and their containers) in a schema. */
export const DEFAULT_MAX_SCHEMA_NODES = 10_000;

/** What makes `schema` too deep or too large, naming the option, or undefined. */
export function schemaShapeProblem(schema: object, maxDepth: number, maxNodes: number): string | undefined {
  let nodes = 0;
  const visit = (value: unknown, depth: number): string | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    if (depth > maxDepth) return `schema is nested deeper than maxSchemaDepth (${maxDepth})`;
    if (++nodes > maxNodes) return `schema has more than maxSchemaNodes (${maxNodes}) objects and arrays`;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(schema, 1);
}
