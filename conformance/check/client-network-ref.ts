/**
 * `client.network-ref`: the scripted server lists `check_schema_ref`, whose `inputSchema` names
 * a `$ref` to a schema on a loopback HTTP server of the check's own (added on the wire: our
 * server library refuses to register such a schema, as a validator must not fetch it). Any
 * request to that server means the client dereferenced a network `$ref` (2026-07-28 basic, JSON
 * Schema usage: "Network `$ref`s MUST NOT be dereferenced by default"; SEP-2106). HTTP and stdio
 * clients, both eras: the rule judges what the client did with a listed schema, not a transport.
 */
import { listen } from 'mcpwire/transport';
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The tool whose listed `inputSchema` carries the network `$ref`. */
export const REF_TOOL_NAME = 'check_schema_ref';
/** The path of the referenced schema on the canary server. */
const REF_PATH = '/schemas/mcpwire-check-profile.json';
/** What the canary answers: a schema a client that fetched it can use, so it goes on and the rest is judged. */
const REF_SCHEMA = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { displayName: { type: 'string' } } };

/** One request the canary server got. */
interface CanaryHit {
  readonly method: string;
  readonly path: string;
  readonly userAgent: string | null;
}

/** The canary server and the rewrite that puts its URL in the listed tool. */
export interface NetworkRefProbe {
  /** The URL the listed `$ref` names. */
  readonly url: string;
  /** A `tools/list` answer listing the tool gets the `$ref` in its `inputSchema`; anything else goes as it is. */
  offer<T>(message: T): T;
  /** Record `client.network-ref` from the requests the canary got. */
  finish(rec: FindingRecorder): void;
  close(): Promise<void>;
}

/** Start the canary server on a loopback port the OS picks. */
export async function createNetworkRefProbe(): Promise<NetworkRefProbe> {
  const hits: CanaryHit[] = [];
  const server = await listen(async (request) => {
    const path = new URL(request.url).pathname;
    hits.push({ method: request.method, path, userAgent: request.headers.get('user-agent') });
    if (path !== REF_PATH) return new Response(null, { status: 404 });
    return new Response(JSON.stringify(REF_SCHEMA), { headers: { 'content-type': 'application/schema+json' } });
  }, { port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${server.port}${REF_PATH}`;
  let listed = 0; // tools/list answers that carried the $ref
  return {
    url,
    offer(message) {
      const result = isObj(message) && isObj(message.result) ? message.result : undefined;
      if (!result || !Array.isArray(result.tools) || !result.tools.some((t) => isObj(t) && t.name === REF_TOOL_NAME)) return message;
      listed++;
      const tools = result.tools.map((t: unknown) => (isObj(t) && t.name === REF_TOOL_NAME ? withRef(t, url) : t));
      return { ...message, result: { ...result, tools } } as typeof message;
    },
    finish(rec) {
      if (hits.length > 0) {
        const first = hits[0]!;
        rec.fail('client.network-ref', `the client fetched the network $ref of ${REF_TOOL_NAME}'s inputSchema: ${hits.length} request(s) to ${url}, the first ${first.method} ${first.path}${first.userAgent === null ? '' : ` (User-Agent: ${first.userAgent})`}`, JSON.stringify(hits), 'any');
      } else if (listed > 0) {
        rec.pass('client.network-ref', `${REF_TOOL_NAME}'s inputSchema, whose $ref names ${url}, was listed ${listed} time(s); nothing fetched it`, 'any');
      } else {
        rec.skip('client.network-ref', `the client never listed the tools, so never saw ${REF_TOOL_NAME}'s network $ref`, 'any');
      }
    },
    close: () => server.close(),
  };
}

/** The tool with a `profile` property whose schema is only the network `$ref`. */
function withRef(tool: Obj, url: string): Obj {
  const schema = isObj(tool.inputSchema) ? tool.inputSchema : { type: 'object' };
  const properties = isObj(schema.properties) ? schema.properties : {};
  return { ...tool, inputSchema: { ...schema, properties: { ...properties, profile: { $ref: url } } } };
}
