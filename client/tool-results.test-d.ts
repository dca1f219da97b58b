/**
 * Compile-only checks of `callTool`'s typed result: `npm run typecheck` fails if they
 * regress. Each `@ts-expect-error` line must stay an error.
 */
import * as z from 'zod';
import * as v from 'valibot';
import { type } from 'arktype';
import type { McpClient } from './types.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(_value?: T): void {}

export async function typedByTheCallersSchema(client: McpClient): Promise<void> {
  const quote = await client.callTool('quote', {}, { outputSchema: z.object({ price: z.coerce.number(), note: z.string().optional() }) });
  // A tool error (isError: true) is returned unchecked: it need not carry structuredContent,
  // so the typed value is there only once the result is known not to be an error.
  // @ts-expect-error the result may be a tool error without structuredContent
  void quote.structuredContent.price;
  if (!quote.isError) {
    expectType<Equal<typeof quote.structuredContent, { price: number; note?: string | undefined }>>();
    // @ts-expect-error not a field of the schema
    void quote.structuredContent.currency;
  } else {
    expectType<Equal<typeof quote.structuredContent, Record<string, unknown> | undefined>>();
    void quote.content;
  }
  const list = await client.callTool('list', undefined, { outputSchema: v.object({ items: v.array(v.string()) }) });
  if (list.isError !== true) expectType<Equal<typeof list.structuredContent, { items: string[] }>>();
  const ark = await client.callTool('ark', {}, { outputSchema: type({ id: 'string', 'n?': 'number' }) });
  if (!ark.isError) expectType<Equal<typeof ark.structuredContent, { id: string; n?: number }>>();
}

export async function untypedWithoutASchema(client: McpClient): Promise<void> {
  const plain = await client.callTool('any', {});
  expectType<Equal<typeof plain.structuredContent, Record<string, unknown> | undefined>>();
  const json = await client.callTool('any', {}, { outputSchema: { type: 'object' } });
  expectType<Equal<typeof json.structuredContent, Record<string, unknown> | undefined>>();
}
