/**
 * Types of values described by a schema: a Standard Schema's own output type, or inferred
 * from a JSON Schema literal (declared `as const`, or passed straight to a `const` type
 * parameter) for the common keywords: type, properties, required, enum, const, items, anyOf,
 * default. Anything else is `unknown`, so a schema this cannot read never yields a wrong type.
 * Types only: nothing here runs.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A JSON Schema node as a literal may spell it (arrays may be readonly). */
export interface JsonSchemaLiteral {
  readonly type?: string | readonly string[];
  readonly properties?: { readonly [name: string]: object | boolean };
  readonly required?: readonly string[];
  readonly [keyword: string]: unknown;
}

/** A JSON Schema for an object: what tools and forms take. */
export interface JsonObjectSchemaLiteral extends JsonSchemaLiteral {
  readonly type: 'object';
}

/** Any Standard Schema (zod 4, valibot, arktype, ...). */
export type AnyStandardSchema = StandardSchemaV1<any, any>;

/** A schema for an object value: a JSON Schema literal or a Standard Schema. */
export type ObjectSchemaInput = JsonObjectSchemaLiteral | AnyStandardSchema;

/**
 * A schema for a tool's structured output: any JSON Schema literal or a Standard Schema
 * (2026-07-28 server/tools: `structuredContent` may be any JSON value; before, an object).
 */
export type OutputSchemaInput = JsonSchemaLiteral | AnyStandardSchema;

/** The value a schema yields once validated: a Standard Schema's output, or the JSON Schema's type. */
export type InferSchema<S> = S extends AnyStandardSchema ? StandardSchemaV1.InferOutput<S> : FromJsonSchema<S>;

/**
 * The value a schema accepts: a Standard Schema's input type (before its defaults and
 * transforms), or the JSON Schema's type. What a tool returns as structured content is this,
 * since the output schema parses it before it goes out.
 */
export type InferSchemaInput<S> = S extends AnyStandardSchema ? StandardSchemaV1.InferInput<S> : FromJsonSchema<S>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Primitive<T> =
  T extends 'string' ? string
  : T extends 'number' | 'integer' ? number
  : T extends 'boolean' ? boolean
  : T extends 'null' ? null
  : T extends 'object' ? Record<string, unknown>
  : T extends 'array' ? unknown[]
  : unknown;

/** The value type of JSON Schema `S` (`unknown` for what it cannot read; depth-limited). */
export type FromJsonSchema<S, Depth extends unknown[] = []> =
  Depth['length'] extends 12 ? unknown
  : S extends true ? unknown
  : S extends false ? never
  : S extends { readonly const: infer C } ? C
  : S extends { readonly enum: readonly (infer E)[] } ? E
  : S extends { readonly anyOf: readonly (infer A)[] } ? AnyOf<A, Depth>
  : S extends { readonly type: infer T } ? ByType<S, T, Depth>
  : S extends { readonly properties: object } ? ObjectOf<S, Depth>
  : S extends { readonly default: infer D } ? Widen<D>
  : unknown;

/** The type a `default` alone implies (no `type` keyword): its value widened to its kind. */
type Widen<D> = D extends string ? string : D extends number ? number : D extends boolean ? boolean : D extends null ? null : unknown;

/** Each branch of an `anyOf`, as a union (distributes over `A`). */
type AnyOf<A, Depth extends unknown[]> = A extends unknown ? FromJsonSchema<A, [...Depth, 1]> : never;

type ByType<S, T, Depth extends unknown[]> =
  T extends readonly (infer Each)[] ? ByType<S, Each, Depth>
  : T extends 'object' ? ObjectOf<S, Depth>
  : T extends 'array' ? (S extends { readonly items: infer I } ? Array<FromJsonSchema<I, [...Depth, 1]>> : unknown[])
  : Primitive<T>;

type RequiredOf<S> = S extends { readonly required: readonly (infer R)[] } ? R & string : never;

/**
 * An object's type: required properties present, the others optional. A `default` does not
 * make a property present: JSON Schema validation checks values and never fills them in, so
 * the handler still sees the property missing when the caller left it out.
 */
type ObjectOf<S, Depth extends unknown[]> = S extends { readonly properties: infer P }
  ? string extends keyof P ? Record<string, unknown> // a schema typed wide, not a literal
    : Simplify<
      { -readonly [K in keyof P & RequiredOf<S>]: FromJsonSchema<P[K], [...Depth, 1]> }
      & { -readonly [K in Exclude<keyof P, RequiredOf<S>>]?: FromJsonSchema<P[K], [...Depth, 1]> }
    >
  : Record<string, unknown>;
