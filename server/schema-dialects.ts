/**
 * The two JSON Schema dialects a schema may use (2025-11-25 basic, JSON Schema usage: 2020-12
 * by default, draft-07 when declared), each an instance of ajv's core class given that
 * dialect's keywords (vocabularies) and meta-schemas.
 *
 * Why not ajv's own `Ajv2020` and `Ajv` classes: each also loads the OpenAPI `discriminator`
 * keyword (off unless its option is set, which we never do) and re-exports helpers nothing
 * here uses: ~5.7 KB of a minified bundle together (issue #20 item 3). The keyword code is
 * ajv's and is shared by both dialects; what draft-07 adds is its keyword list and its
 * meta-schema (~2.6 KB). One instance cannot serve both: ajv binds a keyword's meaning to the
 * instance, and `items` (array form) and `additionalItems` mean different things in the two
 * dialects, while draft-07 ignores 2020-12's `prefixItems`, `$dynamicRef` and `unevaluated*`.
 */
import ajvCore, { type Options } from 'ajv/dist/core.js';
import draft2020 from 'ajv/dist/vocabularies/draft2020.js';
import draft7 from 'ajv/dist/vocabularies/draft7.js';
import addMetaSchema2020 from 'ajv/dist/refs/json-schema-2020-12/index.js';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { DIALECT_2020_12, DIALECT_DRAFT_07, type Dialect } from './schema-dialect-names.ts';

/** An ajv instance of one dialect. */
export type SchemaEngine = InstanceType<typeof ajvCore.default>;

export { DIALECT_2020_12, DIALECT_DRAFT_07, type Dialect };

/** An ajv instance for `dialect` with `options`; schemas are checked against the dialect's meta-schema when compiled. */
export function createSchemaEngine(dialect: Dialect, options: Options): SchemaEngine {
  const Core = ajvCore.default;
  if (dialect === 'draft-07') {
    const ajv = new Core({ ...options, defaultMeta: DIALECT_DRAFT_07 });
    for (const vocabulary of draft7.default) ajv.addVocabulary(vocabulary);
    ajv.addMetaSchema(draft07MetaSchema, DIALECT_DRAFT_07, false);
    return ajv;
  }
  // What 2020-12 needs of ajv's code generation: $dynamicRef, the 2019-09 keywords
  // (dependentRequired...), and unevaluatedProperties / unevaluatedItems.
  const ajv = new Core({ ...options, dynamicRef: true, next: true, unevaluated: true, defaultMeta: DIALECT_2020_12 });
  for (const vocabulary of draft2020.default) ajv.addVocabulary(vocabulary);
  addMetaSchema2020.default.call(ajv);
  return ajv;
}
