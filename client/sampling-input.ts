/**
 * A sampling answer's `tool_use` inputs checked against the offered tools' `inputSchema`
 * (2025-11-25 and 2026-07-28 schema, ToolUseContent.input: "The arguments to pass to the tool,
 * conforming to the tool's input schema"). Loaded with `import()` by the first answer to a
 * request that offered tools; ajv only by the first tool_use checked.
 */
import type { CreateMessageParams, CreateMessageResult, SamplingContent } from '../protocol/index.ts';
import { compileJson } from './tool-schema-compile.ts';
import type { SchemaBounds } from './tool-results.ts';

/**
 * Why the answer must not be sent because a `tool_use`'s input breaks the offered tool's
 * `inputSchema` (or that schema cannot be compiled within `bounds`), or undefined. Call it after
 * `samplingResultProblem`, which refuses tool_use blocks naming tools not offered.
 */
export async function samplingInputProblem(params: CreateMessageParams, result: CreateMessageResult, bounds: SchemaBounds): Promise<string | undefined> {
  const content = (Array.isArray(result.content) ? result.content : [result.content]) as SamplingContent[];
  for (const use of content) {
    if (use?.type !== 'tool_use') continue;
    const tool = params.tools?.find((t) => t.name === use.name);
    if (!tool || typeof tool.inputSchema !== 'object' || tool.inputSchema === null) continue;
    let check;
    try {
      check = await compileJson(use.name, tool.inputSchema, bounds, 'inputSchema');
    } catch (error) {
      return `the model's tool_use ${JSON.stringify(use.id)} cannot be checked: ${(error as Error).message}`;
    }
    const problems = check(use.input);
    if (problems) return `the model's tool_use ${JSON.stringify(use.id)} of ${use.name} has an input its inputSchema refuses: ${problems.join('; ')}`;
  }
  return undefined;
}
