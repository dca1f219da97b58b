/**
 * A Transport wrapper that checks every message passing through it against the spec
 * schema, in both directions, without changing, delaying or dropping any message.
 */
import {
  LATEST_PROTOCOL_VERSION, UnparsablePayload, isRequestId,
  type JsonRpcMessage, type MessageExtra, type SendOptions, type Transport, type TransportHandlers,
} from 'mcpwire/protocol';
import { isSchemaVersion, resolveSchemaDir } from './schema.ts';
import type { Direction } from './method-map.ts';
import { createMessageValidator, isObject, RULES, type Violation } from './validate.ts';
import type { Obj } from './validate-schema-checks.ts';

/** Options of {@link createSchemaTap}. */
export interface SchemaTapOptions {
  /**
   * The protocol version to check against when no `initialize` exchange has been seen (a
   * tap attached late, or the 2026-07-28 era that has no handshake). A function is asked
   * anew for every message. Optional: without it the tap relies on `initialize` and on
   * the version 2026-era requests name in `_meta`.
   */
  version?: string | (() => string | undefined);
  /** Which end the wrapped transport belongs to: decides which way send/receive travel. */
  side: 'client' | 'server';
  /** Called with each violation as it is found. */
  onViolation?: (violation: Violation) => void;
  /** Keep every message in {@link SchemaTap.messages}. Default false. */
  record?: boolean;
  /**
   * Most messages kept in {@link SchemaTap.messages}, and most violations in
   * {@link SchemaTap.violations}: past it each is still checked (and given to `onViolation`) but
   * only counted in {@link SchemaTap.dropped}, so a peer that floods cannot grow the tap without
   * bound. Default {@link DEFAULT_TAP_MAX_KEPT}.
   */
  maxKept?: number;
  /**
   * Most messages validated against the schema; past it each is only counted in
   * `dropped.unvalidated`. Validating is where a flood's memory goes (the collector sizes its
   * heap to the garbage: a 20 s notification flood peaked at 237 MB validated, 155 MB with
   * validation stopped after 20 000 messages). Default: no limit (`mcpwire trace` reports every
   * violation); the check's sessions pass `maxValidated` (`DEFAULT_MAX_VALIDATED`, check/runner.ts).
   */
  maxValidated?: number;
}

/** The default of {@link SchemaTapOptions.maxKept}: messages (and violations) kept. */
export const DEFAULT_TAP_MAX_KEPT = 20_000;

/** A message seen by the tap. */
export interface TappedMessage {
  readonly direction: Direction;
  readonly message: unknown;
}

/** A Transport that validates what it carries; see {@link createSchemaTap}. */
export interface SchemaTap extends Transport {
  /** Every violation found so far, in order, up to `maxKept`. */
  readonly violations: readonly Violation[];
  /** Every message seen, in order, when `record` is true (else empty), up to `maxKept`. */
  readonly messages: readonly TappedMessage[];
  /** Messages and violations seen past `maxKept`, checked but not kept; messages past `maxValidated`, not checked. */
  readonly dropped: { readonly messages: number; readonly violations: number; readonly unvalidated: number };
  /** The version messages are checked against now. */
  readonly protocolVersion: string | undefined;
  /** Throw an Error listing the first violations, if there are any. */
  assertClean(): void;
  /** Passed to the wrapped transport: which tool arguments a 2026-07-28 HTTP request mirrors into `Mcp-Param-*` headers. */
  setParamHeaders(tool: string, headers: readonly unknown[] | undefined): void;
}

const SHOWN_IN_ASSERT = 5;
/** 2026-07-28 basic/index: every request names its version in `_meta`. */
const META_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

function idKey(id: string | number): string {
  return `${typeof id}:${id}`;
}

/**
 * Wrap `inner` so that every outbound message is checked before `inner.send` and every
 * inbound one before the real handlers see it. Unparsable payloads pass through unchecked.
 *
 * The version is tracked from the `initialize` exchange (2025-11-25 basic/lifecycle: version
 * negotiation): the request is checked against the version it asks for, its result and
 * everything after against the version the server answers. Before that, `options.version`
 * is used, then the version a 2026-era request names in `_meta`.
 *
 * Throws McpError `MCP_ERR_VALIDATION` when the spec schemas cannot be found.
 */
export function createSchemaTap(inner: Transport, options: SchemaTapOptions): SchemaTap {
  resolveSchemaDir(); // fail now, with the message that says how to fix it
  const outbound: Direction = options.side === 'client' ? 'client-to-server' : 'server-to-client';
  const inbound: Direction = options.side === 'client' ? 'server-to-client' : 'client-to-server';
  const configured = (): string | undefined => (typeof options.version === 'function' ? options.version() : options.version);
  const validator = createMessageValidator(configured() ?? LATEST_PROTOCOL_VERSION);
  const violations: Violation[] = [];
  const messages: TappedMessage[] = [];
  const maxKept = options.maxKept ?? DEFAULT_TAP_MAX_KEPT;
  const maxValidated = options.maxValidated ?? Number.POSITIVE_INFINITY;
  let validated = 0;
  const dropped = { messages: 0, violations: 0, unvalidated: 0 };
  let asked: string | undefined;
  let answered: string | undefined;
  let initializeId: string | undefined;
  let metaVersion: string | undefined;

  const current = (): string | undefined => answered ?? asked ?? configured() ?? metaVersion;

  function report(violation: Violation): void {
    if (violations.length < maxKept) violations.push(violation);
    else dropped.violations++;
    options.onViolation?.(violation);
  }

  /** Watch the negotiation and pick the version this message is checked against. */
  function versionFor(message: unknown, direction: Direction): string | undefined {
    if (!isObject(message)) return current();
    const params = isObject(message.params) ? message.params : undefined;
    if (direction === 'client-to-server' && message.method === 'initialize' && isRequestId(message.id)) {
      const wanted = params?.protocolVersion;
      initializeId = idKey(message.id);
      answered = undefined;
      if (isSchemaVersion(wanted)) return (asked = wanted);
      // A version without a schema here: the server will answer another; the request
      // itself is checked against the configured version or our latest.
      const fallback = configured();
      return isSchemaVersion(fallback) ? fallback : LATEST_PROTOCOL_VERSION;
    }
    if (
      direction === 'server-to-client' && initializeId !== undefined && !('method' in message) &&
      isRequestId(message.id) && idKey(message.id) === initializeId
    ) {
      initializeId = undefined;
      const result = isObject(message.result) ? message.result : undefined;
      const given = result?.protocolVersion;
      if (isSchemaVersion(given)) answered = given;
      else if (typeof given === 'string') {
        const detail = `the server answered protocol version "${given}", which has no spec schema here`;
        report({ direction, version: given, message: `initialize result: ${detail}`, path: '/result/protocolVersion', definition: RULES.KnownVersion, detail, raw: message });
      }
    }
    const meta = isObject(params?._meta) ? params._meta[META_VERSION_KEY] : undefined;
    if (typeof meta === 'string') metaVersion = meta;
    return current();
  }

  function inspect(message: unknown, direction: Direction): void {
    if (options.record === true && messages.length < maxKept) messages.push({ direction, message });
    else if (options.record === true) dropped.messages++;
    const version = versionFor(message, direction);
    if (validated >= maxValidated) {
      dropped.unvalidated++;
      return;
    }
    validated++;
    if (version === undefined) {
      const detail = 'no protocol version known: no initialize seen and options.version gave none';
      report({ direction, version: '(unknown)', message: `message not checked: ${detail}`, path: '', definition: RULES.KnownVersion, detail, raw: message });
      return;
    }
    try {
      for (const v of validator.validate(message, direction, { version })) report(v);
    } catch (error) {
      // A fault of the tap itself (an unreadable schema file): reported, never thrown into
      // the transport, so the exchange under test carries on.
      const detail = error instanceof Error ? error.message : String(error);
      report({ direction, version, message: `message not checked: ${detail}`, path: '', definition: 'tap:error', detail, raw: message });
    }
  }

  return {
    get violations() {
      return violations;
    },
    get messages() {
      return messages;
    },
    get dropped() {
      return { ...dropped };
    },
    get protocolVersion() {
      return current();
    },
    get sessionId() {
      return inner.sessionId;
    },
    start(handlers: TransportHandlers): Promise<void> {
      return inner.start({
        onMessage(payload: unknown, extra?: MessageExtra, size?: number) {
          if (!(payload instanceof UnparsablePayload)) inspect(payload, inbound);
          handlers.onMessage(payload, extra, size);
        },
        onClose: (error?: Error) => handlers.onClose(error),
        onError: (error: Error) => handlers.onError(error),
      });
    },
    send(message: JsonRpcMessage | JsonRpcMessage[], sendOptions?: SendOptions): Promise<void> {
      inspect(message, outbound);
      return inner.send(message, sendOptions);
    },
    close(): Promise<void> {
      return inner.close();
    },
    setProtocolVersion(version: string): void {
      inner.setProtocolVersion?.(version);
    },
    /**
     * 2026-07-28 streamable-http: which tool arguments go into `Mcp-Param-*` headers, passed to
     * the wrapped HTTP transport (the client finds this method by name); without it a tapped
     * client sends no such header and a server requiring one refuses the call.
     */
    setParamHeaders(tool: string, headers: readonly unknown[] | undefined): void {
      (inner as { setParamHeaders?: (tool: string, headers: readonly unknown[] | undefined) => void }).setParamHeaders?.(tool, headers);
    },
    assertClean(): void {
      if (violations.length === 0) return;
      const lines = violations
        .slice(0, SHOWN_IN_ASSERT)
        .map((v) => `  - [${v.direction ?? '?'} ${v.version}] ${v.definition} at ${v.path || '(root)'}: ${v.message}`);
      const more = violations.length > SHOWN_IN_ASSERT ? [`  ... and ${violations.length - SHOWN_IN_ASSERT} more`] : [];
      throw new Error(`schema tap (${options.side}): ${violations.length} violation(s)\n${[...lines, ...more].join('\n')}`);
    },
  };
}
