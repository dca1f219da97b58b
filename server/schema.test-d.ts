/**
 * Compile-only checks of schema-driven typing: `npm run typecheck` fails if inference
 * regresses. Each `@ts-expect-error` line must stay an error.
 */
import * as z from 'zod';
import * as v from 'valibot';
import { type } from 'arktype';
import { createServer } from './server.ts';
import type { FromJsonSchema } from './schema-infer.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(_value?: T): void {}

const server = createServer({ name: 'types', version: '1' });

export function zodTool(): void {
  server.tool({
    name: 'book',
    inputSchema: z.object({ city: z.string(), nights: z.number().int().optional() }),
    outputSchema: z.object({ reference: z.string() }),
  }, (args) => {
    expectType<Equal<typeof args, { city: string; nights?: number | undefined }>>();
    // @ts-expect-error not a field of the schema
    void args.country;
    return { structuredContent: { reference: `R-${args.city}` } };
  });
  // @ts-expect-error a hand-written argument type cannot contradict a Standard Schema
  server.tool({ name: 'z-wrong', inputSchema: z.object({ city: z.string() }) }, (args: { city: number }) => String(args.city));
  // @ts-expect-error the structured result must match the output schema
  server.tool({ name: 'bad', inputSchema: z.object({}), outputSchema: z.object({ n: z.number() }) }, () => ({ structuredContent: { n: 'one' } }));
}

export function defaultsAndOutputSides(): void {
  // The handler gets the input schema's parsed output: a default makes the key present.
  server.tool({ name: 'nights', inputSchema: z.object({ city: z.string(), nights: z.number().int().default(1) }) }, (args) => {
    expectType<Equal<typeof args, { city: string; nights: number }>>();
    return args.city;
  });
  // Structured content is what the output schema accepts (it parses it before it goes out):
  // a defaulted key may be left out.
  const out = z.object({ id: z.number(), tags: z.array(z.string()).default([]) });
  server.tool({ name: 'out-input-side', outputSchema: out }, () => ({ structuredContent: { id: 1 } }));
  // @ts-expect-error a value of the wrong type is still refused
  server.tool({ name: 'out-wrong', outputSchema: out }, () => ({ structuredContent: { id: 1, tags: 'a' } }));
  // @ts-expect-error a required key still cannot be left out
  server.tool({ name: 'out-missing', outputSchema: out }, () => ({ structuredContent: { tags: [] } }));
}

export function valibotTool(): void {
  server.tool({ name: 'v', inputSchema: v.object({ q: v.string(), limit: v.optional(v.number()) }) }, (args) => {
    expectType<Equal<typeof args, { q: string; limit?: number | undefined }>>();
    // @ts-expect-error not a field of the schema
    void args.query;
    return args.q;
  });
}

export function arktypeTool(): void {
  server.tool({ name: 'a', inputSchema: type({ id: 'string', 'tags?': 'string[]' }) }, (args) => {
    expectType<Equal<typeof args, { id: string; tags?: string[] }>>();
    // @ts-expect-error not a field of the schema
    void args.ids;
    return args.id;
  });
}

export function jsonSchemaLiteral(): void {
  server.tool({
    name: 'count',
    inputSchema: {
      type: 'object',
      properties: {
        steps: { type: 'integer', minimum: 1 },
        mode: { enum: ['fast', 'slow'] },
        kind: { const: 'k' },
        tags: { type: 'array', items: { type: 'string' } },
        either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        retries: { default: 3 },
        nested: { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'] },
        odd: { not: { type: 'string' } },
      },
      required: ['steps'],
    },
    outputSchema: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] },
  }, ({ steps, mode, kind, tags, either, retries, nested, odd }) => {
    expectType<Equal<typeof steps, number>>();
    expectType<Equal<typeof mode, 'fast' | 'slow' | undefined>>();
    expectType<Equal<typeof kind, 'k' | undefined>>();
    expectType<Equal<typeof tags, string[] | undefined>>();
    expectType<Equal<typeof either, string | null | undefined>>();
    expectType<Equal<typeof retries, number | undefined>>();
    expectType<Equal<typeof nested, { a: boolean } | undefined>>();
    expectType<Equal<typeof odd, unknown>>();
    return { structuredContent: { total: steps } };
  });
  const declared = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } as const;
  server.tool({ name: 'declared', inputSchema: declared }, (args) => {
    expectType<Equal<typeof args, { city: string }>>();
    // @ts-expect-error not a field of the schema
    void args.town;
    return args.city;
  });
  // A handler annotated by hand with a JSON Schema is taken at its word (the hand-written overload).
  server.tool({ name: 'annotated', inputSchema: declared }, (args: { city: number }) => String(args.city));
}

export function handWrittenStillWorks(): void {
  server.tool<{ city: string }>({ name: 'legacy', inputSchema: { type: 'object' } }, (args) => args.city);
  server.tool({ name: 'none' }, (args) => {
    expectType<Equal<typeof args, Record<string, unknown>>>();
    return 'ok';
  });
}

expectType<Equal<FromJsonSchema<{ type: ['string', 'null'] }>, string | null>>();
expectType<Equal<FromJsonSchema<{ type: 'array' }>, unknown[]>>();
expectType<Equal<FromJsonSchema<{ $ref: '#/x' }>, unknown>>();

export function elicitationForms(): void {
  server.tool({ name: 'ask' }, async (_args, ctx) => {
    const zodAnswer = await ctx.elicit({ message: 'Seats?', requestedSchema: z.object({ seats: z.number().int(), window: z.boolean().optional() }) });
    if (zodAnswer.action === 'accept' && zodAnswer.content) {
      expectType<Equal<typeof zodAnswer.content, { seats: number; window?: boolean | undefined }>>();
      // @ts-expect-error not a field of the form
      void zodAnswer.content.aisle;
    }
    const literal = await ctx.elicit({
      message: 'Name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name'] },
    });
    expectType<Equal<typeof literal.content, { name: string; age?: number } | undefined>>();
    // An accepted form always carries its checked content: no `?.` needed after the action test.
    if (literal.action === 'accept') expectType<Equal<typeof literal.content, { name: string; age?: number }>>();
    else expectType<Equal<typeof literal.content, undefined>>();
    const seats = await ctx.elicit({ message: 'Seats?', requestedSchema: z.object({ seats: z.number().int() }) });
    if (seats.action === 'accept') void (seats.content.seats + 1);
    // @ts-expect-error content may be absent until the action is known
    void seats.content.seats;
    const url = await ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://example.com' });
    void url.action;
    return 'ok';
  });
}

export function promptsAndTemplates(): void {
  server.prompt({ name: 'review', argsSchema: z.object({ path: z.string(), depth: z.coerce.number().optional() }) }, ({ path, depth }) => {
    expectType<Equal<typeof path, string>>();
    expectType<Equal<typeof depth, number | undefined>>();
    return `Review ${path}`;
  });
  server.prompt({ name: 'lit', argsSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] } }, (args) => {
    // @ts-expect-error not an argument of the prompt
    void args.subject;
    return args.topic;
  });
  server.resourceTemplate({ uriTemplate: 'users://{id}', name: 'user', variables: v.object({ id: v.pipe(v.string(), v.transform(Number)) }) }, (_uri, { id }) => {
    expectType<Equal<typeof id, number>>();
    return String(id);
  });
}
