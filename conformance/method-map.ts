/**
 * Method -> definition maps per version and direction, derived from the schema itself: the
 * `ClientRequest` / `ServerRequest` / `ClientNotification` / `ServerNotification` unions list
 * their member definitions, and each member fixes its `method` with `properties.method.const`.
 */
import { loadSchema, resolveDefinition, type JsonSchema, type SchemaVersion } from './schema.ts';

/** Which way a message travels. */
export type Direction = 'client-to-server' | 'server-to-client';

/** Both directions, client first. */
export const DIRECTIONS = ['client-to-server', 'server-to-client'] as const satisfies readonly Direction[];

/** The other direction: a response travels opposite to the request it answers. */
export function opposite(direction: Direction): Direction {
  return direction === 'client-to-server' ? 'server-to-client' : 'client-to-server';
}

/** A request method and the definitions that check it and its result. */
export interface RequestEntry {
  readonly method: string;
  /** The typed request definition, e.g. `CallToolRequest`. */
  readonly definition: string;
  /** The result definition, e.g. `CallToolResult`; `EmptyResult` when the schema has no own one. */
  readonly result: string;
  /**
   * 2025-11-25 basic/utilities/tasks: a request whose params accept `task` may be answered
   * with `CreateTaskResult` instead.
   */
  readonly taskResult: string | undefined;
  /**
   * 2026-07-28 basic/patterns/mrtr: a request whose params accept `inputResponses` may be answered
   * with `InputRequiredResult`.
   */
  readonly inputRequiredResult: string | undefined;
}

/** A notification method and its definition. */
export interface NotificationEntry {
  readonly method: string;
  readonly definition: string;
}

/** The names of the union definitions per direction (absent ones are still named). */
export interface UnionNames {
  readonly requests: string;
  readonly notifications: string;
  /** The union of results sent in this direction (`ClientResult` for client-to-server). */
  readonly results: string;
}

/** The JSON-RPC envelope definitions of a version. */
export interface EnvelopeNames {
  readonly request: string;
  readonly notification: string;
  /** `JSONRPCResponse` (<= 2025-06-18) or `JSONRPCResultResponse`. */
  readonly result: string;
  /** `JSONRPCError` (<= 2025-06-18) or `JSONRPCErrorResponse`. */
  readonly error: string;
  /** Any message: `JSONRPCMessage`. */
  readonly message: string;
  /** Batch definitions, only where the version has them (2025-03-26). */
  readonly batch: { readonly request: string; readonly response: string } | undefined;
}

/** Everything the message validator needs to know about one version's methods. */
export interface MethodMap {
  readonly version: SchemaVersion;
  readonly requests: Readonly<Record<Direction, ReadonlyMap<string, RequestEntry>>>;
  readonly notifications: Readonly<Record<Direction, ReadonlyMap<string, NotificationEntry>>>;
  readonly unions: Readonly<Record<Direction, UnionNames>>;
  readonly envelope: EnvelopeNames;
  /** 2026-07-28 basic/index: `resultType` is required on every result. */
  readonly resultTypeRequired: boolean;
  /** Union members that name no definition or have no `method` const (should be empty). */
  readonly unmapped: readonly string[];
}

const UNION_NAMES: Readonly<Record<Direction, UnionNames>> = {
  'client-to-server': { requests: 'ClientRequest', notifications: 'ClientNotification', results: 'ClientResult' },
  'server-to-client': { requests: 'ServerRequest', notifications: 'ServerNotification', results: 'ServerResult' },
};

const maps = new Map<string, MethodMap>();

function refName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

/**
 * The member definition names of a union definition. A union may be `anyOf`/`oneOf` of
 * `$ref`s, a single `$ref`, or (2026-07-28 `ClientNotification`) an inline copy of one
 * definition, which is named by finding the definition with the same content. Returns
 * `[]` when the version has no such union.
 */
export function unionMembers(version: SchemaVersion, union: string): string[] {
  const { definitions } = loadSchema(version);
  const schema = definitions[union];
  if (schema === undefined) return [];
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    return branches.map((branch) => refName(branch) ?? `${union}/(inline)`);
  }
  const direct = refName(schema);
  if (direct !== undefined) return [direct];
  const text = JSON.stringify(schema);
  const twin = Object.keys(definitions).find((name) => name !== union && JSON.stringify(definitions[name]) === text);
  return [twin ?? union];
}

/** `properties.method.const` of a definition, if it has one. */
export function methodOf(version: SchemaVersion, definition: string): string | undefined {
  const schema = loadSchema(version).definitions[definition];
  const props = schema?.properties as Record<string, JsonSchema> | undefined;
  const method = props?.method?.const;
  return typeof method === 'string' ? method : undefined;
}

/** Property names a params schema accepts, across `$ref`s and `anyOf`/`oneOf`/`allOf` branches. */
function paramNames(version: SchemaVersion, definition: string): Set<string> {
  const names = new Set<string>();
  const request = loadSchema(version).definitions[definition];
  const params = (request?.properties as Record<string, JsonSchema> | undefined)?.params;
  const visit = (schema: JsonSchema | undefined, depth: number): void => {
    if (schema === undefined || depth > 8) return;
    const resolved = resolveDefinition(version, schema);
    const props = resolved.properties as Record<string, unknown> | undefined;
    if (props) for (const key of Object.keys(props)) names.add(key);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = resolved[key];
      if (Array.isArray(branches)) for (const b of branches as JsonSchema[]) visit(b, depth + 1);
    }
  };
  visit(params, 0);
  return names;
}

function buildMap(version: SchemaVersion): MethodMap {
  const { definitions } = loadSchema(version);
  const has = (name: string): boolean => Object.hasOwn(definitions, name);
  const unmapped: string[] = [];
  const emptyResult = has('EmptyResult') ? 'EmptyResult' : 'Result';
  const requests = {} as Record<Direction, Map<string, RequestEntry>>;
  const notifications = {} as Record<Direction, Map<string, NotificationEntry>>;
  for (const direction of DIRECTIONS) {
    const names = UNION_NAMES[direction];
    // The responder's results travel the other way.
    const responderResults = new Set(unionMembers(version, UNION_NAMES[opposite(direction)].results));
    const reqs = new Map<string, RequestEntry>();
    for (const definition of unionMembers(version, names.requests)) {
      const method = has(definition) ? methodOf(version, definition) : undefined;
      if (method === undefined) {
        unmapped.push(`${names.requests}: ${definition}`);
        continue;
      }
      // Naming convention of the schema: XRequest is answered by XResult when the
      // responder's result union lists it; requests without one get EmptyResult.
      const own = definition.replace(/Request$/, 'Result');
      const params = paramNames(version, definition);
      reqs.set(method, {
        method,
        definition,
        result: responderResults.has(own) && has(own) ? own : emptyResult,
        taskResult: params.has('task') && has('CreateTaskResult') ? 'CreateTaskResult' : undefined,
        inputRequiredResult: params.has('inputResponses') && has('InputRequiredResult') ? 'InputRequiredResult' : undefined,
      });
    }
    requests[direction] = reqs;
    const notes = new Map<string, NotificationEntry>();
    for (const definition of unionMembers(version, names.notifications)) {
      const method = has(definition) ? methodOf(version, definition) : undefined;
      if (method === undefined) {
        unmapped.push(`${names.notifications}: ${definition}`);
        continue;
      }
      notes.set(method, { method, definition });
    }
    notifications[direction] = notes;
  }
  const resultRequired = definitions.Result?.required;
  return {
    version,
    requests,
    notifications,
    unions: UNION_NAMES,
    envelope: {
      request: 'JSONRPCRequest',
      notification: 'JSONRPCNotification',
      result: has('JSONRPCResultResponse') ? 'JSONRPCResultResponse' : 'JSONRPCResponse',
      error: has('JSONRPCErrorResponse') ? 'JSONRPCErrorResponse' : 'JSONRPCError',
      message: 'JSONRPCMessage',
      batch: has('JSONRPCBatchRequest') && has('JSONRPCBatchResponse')
        ? { request: 'JSONRPCBatchRequest', response: 'JSONRPCBatchResponse' }
        : undefined,
    },
    resultTypeRequired: Array.isArray(resultRequired) && resultRequired.includes('resultType'),
    unmapped,
  };
}

/** The method maps of one version, derived once from its schema and cached. */
export function getMethodMap(version: SchemaVersion): MethodMap {
  const key = loadSchema(version).file;
  let map = maps.get(key);
  if (!map) maps.set(key, (map = buildMap(version)));
  return map;
}
