// Run one schema and its values through ajv (the server's engine and options) and through the
// plain validator, each answer as data, so the differential tests compare them whole.
import * as assert from 'uvu/assert';
import { createAjvCompiler } from '../../server/schema-ajv.ts';
import type { Dialect } from '../../server/schema-dialect-names.ts';
import { createSchemaValidator, DIALECT_DRAFT_07 } from '../../server/validation.ts';

export type Outcome = { refused: string } | { results: unknown[] } | { crashed: string };

export function withAjv(root: Record<string, unknown>, dialect: Dialect, values: unknown[]): Outcome {
  let check;
  try {
    check = createAjvCompiler(20).build(structuredClone(root), dialect, true);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  try {
    return { results: values.map((v) => check(v)) };
  } catch (error) {
    return { crashed: (error as Error).message };
  }
}

export function withPlain(root: Record<string, unknown>, values: unknown[]): Outcome {
  let check;
  try {
    check = createSchemaValidator().compile(root);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  assert.is(check.ready, undefined, `a plain schema compiled without ajv: ${JSON.stringify(root)}`);
  return { results: values.map((v) => check(v)) };
}

export const dialectOf = (schema: Record<string, unknown>): Dialect => (schema.$schema === DIALECT_DRAFT_07 ? 'draft-07' : '2020-12');
