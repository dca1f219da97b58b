/**
 * Resource templates (2025-11-25 server/resources: resource templates): an RFC 6570
 * `uriTemplate` that `resources/read` matches URIs against, an optional completer per
 * variable, and a reader that receives the matched variables.
 */
import { LocalErrorCode, McpError, type ResourceTemplate } from '../protocol/index.ts';
import type { Completer } from './completer.ts';
import type { ToolContext } from './context.ts';
import type { ResourceReadReturn } from './contents.ts';
import { parseUriTemplateParts, type ParsedUriTemplate, type UriTemplateOptions, type UriTemplateVariables } from './uri-template-parse.ts';
import type { UriTemplate } from './uri-template.ts';
import type { InferSchema, ObjectSchemaInput } from './schema-infer.ts';
import { checkedOrInvalid, prepareWith } from './schema-arguments.ts';

/** How a resource template is described when registered: the wire fields plus completers. */
export interface ResourceTemplateDefinition extends ResourceTemplate {
  /**
   * Completers for the template's variables, by variable name (2025-11-25
   * server/utilities/completion, `ref/resource`). Declaring one makes the server offer
   * `completions`.
   */
  complete?: Readonly<Record<string, Completer>>;
  /**
   * A schema for the matched variables (strings, or string arrays for exploded ones): a
   * Standard Schema (its parsed output, e.g. a coerced number, reaches the reader) or JSON
   * Schema. Variables that break it make `resources/read` fail with -32602.
   */
  variables?: ObjectSchemaInput;
}

/** A template definition whose `variables` schema types the reader's variables. */
export type ResourceTemplateDefinitionOf<V extends ObjectSchemaInput> = Omit<ResourceTemplateDefinition, 'variables'> & { variables: V };

/** A reader whose variables are typed by the template's `variables` schema. */
export type TypedTemplateReader<V extends ObjectSchemaInput> = (
  uri: string, variables: InferSchema<V>, ctx: ToolContext,
) => ResourceReadReturn | Promise<ResourceReadReturn>;

/**
 * Reads a URI that matched a template. Return text, bytes, contents or a full result; return
 * undefined (or null) when nothing exists for these variables: the client gets "not found".
 */
export type TemplateReader = (
  uri: string, variables: UriTemplateVariables, ctx: ToolContext,
) => ResourceReadReturn | Promise<ResourceReadReturn>;

/** A registered template's parsed form; matching loads with `import()` on first use. */
export interface TemplateMatcher {
  /** Variable names in order of first appearance. */
  readonly variableNames: string[];
  /** uri-template.ts `match`, once its code is loaded (the first call waits for it). */
  match(uri: string): UriTemplateVariables | null | Promise<UriTemplateVariables | null>;
}

/** Expansion and matching (uri-template.ts), loaded once per process; a failed load is tried again. */
let matching: Promise<typeof import('./uri-template.ts')> | undefined;
function loadMatching(): Promise<typeof import('./uri-template.ts')> {
  matching ??= import('./uri-template.ts').catch((error: unknown) => {
    matching = undefined;
    throw error;
  });
  return matching;
}

/** `parsed` with its matcher made on the first match (issue #20 item 3: a server that reads no template never loads it). */
function lazyMatcher(parsed: ParsedUriTemplate): TemplateMatcher {
  let full: UriTemplate | undefined;
  return {
    variableNames: parsed.variableNames,
    match(uri) {
      if (full) return full.match(uri);
      return loadMatching().then((module) => (full ??= module.uriTemplateOf(parsed)).match(uri));
    },
  };
}

/** A registered template. */
export interface TemplateEntry {
  /** As listed in `resources/templates/list`: the definition without `complete`. */
  readonly template: ResourceTemplate;
  readonly parsed: TemplateMatcher;
  readonly read: TemplateReader;
  readonly complete: Readonly<Record<string, Completer>>;
  /** The `variables` schema's own check while it waits for ajv (validation.ts); rejects when refused. */
  readonly ready?: (() => Promise<void> | undefined) | undefined;
}

/** Check a definition and build its entry; throws McpError `MCP_ERR_VALIDATION` when it is unusable. */
export function createTemplateEntry(
  definition: ResourceTemplateDefinition, read: TemplateReader, options: UriTemplateOptions = {},
): TemplateEntry {
  const { complete = {}, variables, ...template } = definition;
  if (typeof template.name !== 'string' || template.name === '') {
    throw new McpError(LocalErrorCode.Validation, `resource template ${JSON.stringify(template.uriTemplate)} needs a name`);
  }
  if (typeof read !== 'function') throw new McpError(LocalErrorCode.Validation, `resource template ${template.name} needs a read function`);
  let parsed: TemplateMatcher;
  try {
    parsed = lazyMatcher(parseUriTemplateParts(template.uriTemplate, options));
  } catch (cause) {
    throw new McpError(LocalErrorCode.Validation, `resource template ${template.name}: ${(cause as Error).message}`, { cause });
  }
  for (const [name, completer] of Object.entries(complete)) {
    if (!parsed.variableNames.includes(name)) {
      throw new McpError(LocalErrorCode.Validation, `resource template ${template.name}: completer for "${name}", which is not a variable of ${template.uriTemplate}`);
    }
    if (typeof completer !== 'function') throw new McpError(LocalErrorCode.Validation, `resource template ${template.name}: completer for "${name}" is not a function`);
  }
  if (variables === undefined) return { template, parsed, read, complete };
  const schema = prepareWith(variables, `resource template ${template.name} variables`, undefined, undefined, false);
  const checkedRead: TemplateReader = async (uri, values, ctx) =>
    read(uri, await checkedOrInvalid(schema, values, `${uri} does not fit template ${template.name}`) as UriTemplateVariables, ctx);
  return { template, parsed, read: checkedRead, complete, ready: schema.ready };
}
