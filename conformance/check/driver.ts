/**
 * The legacy-era driver: a real client session (HTTP or stdio) through the schema tap that
 * exercises the server's surface (tools, resources, templates, prompts, completion, logging,
 * subscriptions) and answers its elicitation, sampling and roots requests with schema-valid
 * answers. Every message both ways is validated; what the tap finds becomes findings.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { UnparsablePayload, type ElicitParams, type ElicitResult, type Tool, type Transport } from 'mcpwire/protocol';
import { createSchemaTap, type SchemaTap } from '../tap.ts';
import type { Violation } from '../validate.ts';
import { VALIDATOR_RULE_IDS } from './validator-rules.ts';
import type { FindingRecorder } from './findings.ts';
import type { RuleId } from './catalog.ts';
import { invalidArguments, validArguments, validValue } from './args.ts';
import { checkCapabilityGating } from './gating.ts';
import { checkClientGating } from './legacy-gating.ts';
import { checkStructuredText, checkToolNames, cursorLoopGuard, exchangeSince, listPaged, probePing, probeUnknownMethod, probeUnknownResource, probeUnknownTool, rethrowIfClosed } from './driver-probes.ts';
import { connectWait } from './stdio-start.ts';
import { checkProgressOrder } from './progress-order.ts';
import { drivenListenWatch, type DrivenListenWatch } from './driver-listen.ts';
import { createInFlight, tagInFlight, type InFlight } from './in-flight.ts';
import { answersToolUseWrongly, createToolUseModel } from './sampling-tool-use.ts';
import { firstListing } from './modern-tools-list.ts';
import { LegacyNotSpoken, modernOnlyVersions } from './legacy-not-spoken.ts';
import type { Obj } from '../validate-schema-checks.ts';

/** The server under test. */
export type Target =
  | { readonly kind: 'http'; readonly url: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'stdio'; readonly command: string; readonly args: readonly string[] };

/** Options of {@link driveLegacy}. */
export interface DriveOptions {
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  /** stdio: the wait for a fresh process's first answer, ms (stdio-start.ts). */
  readonly startTimeoutMs?: number;
  /** The version to ask for in initialize. */
  readonly version: string;
  /** Call tools whose annotations do not rule out destructive effects. */
  readonly allowDestructive: boolean;
  /** The era driven: legacy (initialize) or modern (2026-07-28, input rounds). Default legacy. */
  readonly era?: 'legacy' | 'modern';
  /** Told of each input request the client answers (the modern era's rounds), by method. */
  readonly onInput?: (method: string) => void;
  /** Most messages of the session validated (tap.ts `maxValidated`). Default {@link DEFAULT_MAX_VALIDATED}. */
  readonly maxValidated?: number;
  /** Told of the session's first complete tools/list listing (its tools, every page), to compare the eras'. */
  readonly onListing?: (tools: readonly Obj[]) => void;
}

/**
 * The default bound on the messages of one driven session validated against the schema: a
 * flood past it is counted, not checked (a 20 s flood of 300 000 notifications peaked at 237 MB
 * validated whole).
 */
export const DEFAULT_MAX_VALIDATED = 100_000;

const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;


/** Record what the tap found, as findings of the era `era`. Only the server's messages count against it. */
export function recordViolations(rec: FindingRecorder, violations: readonly Violation[], from: Violation['direction'], era: 'legacy' | 'modern'): void {
  for (const v of violations) {
    if (v.direction !== from || v.definition === 'tap:error') continue;
    const id = VALIDATOR_RULE_IDS[v.definition] ?? 'schema.message';
    rec.fail(id, `${v.message} [${v.definition}${v.path ? ` at ${v.path}` : ''}: ${v.detail}]`, v.raw, era);
  }
}

/** A tool the driver must not call without --allow-destructive (2025-11-25 server/tools: annotations defaults). */
export function isDestructive(tool: Tool): boolean {
  const a = tool.annotations;
  if (a?.readOnlyHint === true) return false;
  return a?.destructiveHint !== false;
}

function elicitAnswer(params: ElicitParams): ElicitResult {
  if (params.mode === 'url') return { action: 'decline' };
  return { action: 'accept', content: validArguments((params as { requestedSchema?: unknown }).requestedSchema) as NonNullable<ElicitResult['content']> };
}

function makeTransport(target: Target, onStdout: (bad: string) => void, flight: InFlight, listens?: DrivenListenWatch): Transport {
  const inner: Transport = target.kind === 'http'
    ? createHttpClientTransport({ url: target.url, headers: target.headers })
    // The stdio client reports a line that is not JSON and answers nothing; it is handed here whole.
    : createStdioClientTransport({ command: target.command, args: target.args, stderr: 'ignore', onStrayLine: onStdout });
  const guard = cursorLoopGuard();
  // 2025-11-25 basic/transports (stdio): stdout carries only messages; note any line that is not one.
  return {
    ...inner,
    get sessionId() { return inner.sessionId; },
    start: (handlers) => inner.start({
      ...handlers,
      onMessage(payload, extra) {
        if (payload instanceof UnparsablePayload) onStdout(payload.detail);
        else {
          flight.received(payload);
          listens?.received(payload, extra);
        }
        handlers.onMessage(payload, extra);
      },
    }),
    send: (m, o) => {
      flight.sent(m);
      listens?.sent(m);
      const loop = guard(m);
      return loop === undefined ? inner.send(m, o) : Promise.reject(loop);
    },
    close: () => inner.close(),
    setProtocolVersion: (v) => inner.setProtocolVersion?.(v),
    // 2026-07-28: x-mcp-header arguments go into Mcp-Param-* headers; the client tells the transport which.
    setParamHeaders: (tool: string, headers: readonly unknown[] | undefined) => (inner as { setParamHeaders?: (t: string, h: readonly unknown[] | undefined) => void }).setParamHeaders?.(tool, headers),
  } as Transport;
}

/** Run `fn`, turning a throw into a failure (or info) finding with `id`. */
async function attempt(o: DriveOptions, wire: SchemaTap['messages'], id: RuleId, what: string, fn: () => Promise<unknown>): Promise<boolean> {
  const from = wire.length;
  try {
    await fn();
    o.rec.pass(id, what, eraOf(o));
    return true;
  } catch (error) {
    rethrowIfClosed(error);
    o.rec.fail(id, `${what}: ${error instanceof Error ? error.message : String(error)}`, exchangeSince(wire, from), eraOf(o));
    return false;
  }
}

function eraOf(o: DriveOptions): 'legacy' | 'modern' {
  return o.era ?? 'legacy';
}

/** Connect, drive the whole surface in the legacy era, close; returns the negotiated version (undefined when unreachable). */
export function driveLegacy(target: Target, o: DriveOptions): Promise<string | undefined> {
  const legacy = { ...o, era: 'legacy' as const };
  return drive(target, legacy, (messages) => checkClientGating(target, messages, legacy));
}

/** The driven session's messages, for checks that look at the whole exchange. */
export type SessionHook = (messages: SchemaTap['messages'], client: McpClient) => Promise<void> | void;

/**
 * Connect in `o.era` (legacy: initialize; modern: 2026-07-28 with `server/discover`), drive
 * the whole surface, close; returns the version spoken (undefined when unreachable). Input
 * requests (legacy server requests, modern input rounds) get schema-valid answers.
 */
export async function drive(target: Target, o: DriveOptions, after?: SessionHook): Promise<string | undefined> {
  const era = eraOf(o);
  const badLines: string[] = [];
  // A process whose first line on stdout is not JSON-RPC (a banner, a usage text) is not still
  // loading: its answer to the first request is waited for only the exchange bound from then.
  const notMcp = new AbortController();
  let notMcpTimer: ReturnType<typeof setTimeout> | undefined;
  const onBadLine = (line: string) => {
    if (badLines.push(line) === 1) notMcpTimer = setTimeout(() => notMcp.abort(), o.timeoutMs);
  };
  // 2026-07-28: the session opens no listen, so no change notification belongs in it.
  const listens = era === 'modern' ? drivenListenWatch() : undefined;
  // The requests not yet answered: a session that stops names them (the runner's run.reachable).
  const flight = createInFlight();
  const tap: SchemaTap = createSchemaTap(makeTransport(target, onBadLine, flight, listens), { side: 'client', record: true, maxValidated: o.maxValidated ?? DEFAULT_MAX_VALIDATED, ...(era === 'modern' ? { version: o.version } : {}) });
  const model = createToolUseModel(o.rec, era);
  const client = createClient({ name: 'mcpwire-check', version: '0.1.0' }, {
    protocolVersion: o.version,
    ...(era === 'modern' ? { era: 'modern' as const } : {}),
    elicitation: { modes: ['form', 'url'], validateContent: false },
    onElicit: (params) => { o.onInput?.('elicitation/create'); return elicitAnswer(params); },
    // sampling.tools declared: a tool that offers tools to it is called again from a client without (capability.sampling-tools).
    sampling: { tools: true },
    // The model asks for the first offered tool once, to see the server answer it (sampling.tool-results).
    onSample: (params) => { o.onInput?.('sampling/createMessage'); return model.answer(params); },
    roots: [{ uri: 'file:///mcpwire-check-root', name: 'check' }],
    reinitializeOnExpiry: false,
    limits: { requestTimeoutMs: o.timeoutMs },
  });
  try {
    await client.connect(tap, { timeoutMs: connectWait(target, o.timeoutMs, o.startTimeoutMs), signal: notMcp.signal });
  } catch (error) {
    // Over HTTP the transport probes meet this first (SessionNotOpened); over stdio it is here.
    const speaks = era === 'legacy' ? modernOnlyVersions(error) : undefined;
    if (speaks !== undefined) {
      await client.close().catch(() => undefined);
      throw new LegacyNotSpoken(o.version, (error as { code?: unknown }).code, speaks);
    }
    const method = era === 'modern' ? 'server/discover' : 'initialize';
    const stdout = badLines.length === 0 ? '' : `; stdout had ${badLines.length} line(s) that are not JSON-RPC (the first: ${badLines[0]!.slice(0, 160)})`;
    const why = notMcp.signal.aborted ? `got no answer within ${o.timeoutMs} ms of the first line on stdout${stdout}: is the command an MCP server?` : `failed: ${error instanceof Error ? error.message : String(error)}${stdout}`;
    o.rec.fail('run.reachable', `${method} ${why}`, undefined, era);
    await client.close().catch(() => undefined);
    return undefined;
  } finally {
    clearTimeout(notMcpTimer);
  }
  o.rec.pass('run.reachable', `connected, protocol ${client.protocolVersion ?? '?'}`, era);
  try {
    await exercise(client, o, tap.messages);
    await after?.(tap.messages, client);
  } catch (error) {
    tagInFlight(error, flight.describe());
    throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
  recordViolations(o.rec, tap.violations, 'server-to-client', era);
  const listed = firstListing(tap.messages);
  if (listed !== undefined) o.onListing?.(listed);
  listens?.finish(o.rec, target.kind);
  model.finish(tap.messages);
  // A flood is checked message by message, but only the first messages are kept (tap.ts maxKept).
  const past = tap.dropped;
  if (past.messages > 0 || past.unvalidated > 0) {
    const kept = tap.messages.length;
    const total = kept + past.messages;
    const whole = past.messages > 0 ? `the checks of the whole session (capability gating, progress order, input rounds) saw the first ${kept}; ` : '';
    const skipped = past.unvalidated > 0 ? `; the last ${past.unvalidated} were not (past --max-messages ${o.maxValidated ?? DEFAULT_MAX_VALIDATED})` : '';
    o.rec.skip('run.reachable', `the session carried ${total} messages: ${whole}${total - past.unvalidated} were validated one by one${past.violations > 0 ? ` (${past.violations} violation(s) past the first ${kept} not listed)` : ''}${skipped}`, era);
  }
  if (era === 'legacy') checkCapabilityGating(o.rec, tap.messages, client.serverCapabilities ?? {});
  if (target.kind === 'stdio') {
    checkProgressOrder(o.rec, tap.messages, era);
    if (badLines.length > 0) o.rec.fail('stdio.stdout-messages', `${badLines.length} line(s) on stdout are not JSON-RPC`, badLines[0], era);
    else o.rec.pass('stdio.stdout-messages', 'stdout carried only messages', era);
  }
  if (!o.rec.findings.some((f) => f.id === 'schema.message' && f.outcome === 'fail' && f.era === era)) {
    o.rec.pass('schema.message', `${tap.messages.length} messages matched the ${client.protocolVersion ?? ''} schema`, era);
  }
  if (era === 'modern' && !o.rec.findings.some((f) => f.id === 'modern.server-request' && f.outcome === 'fail' && f.era === era)) {
    const sent = tap.messages.filter((m) => m.direction === 'server-to-client').length;
    o.rec.pass('modern.server-request', `none of the server's ${sent} messages was a JSON-RPC request`, era);
  }
  return client.protocolVersion;
}

async function exercise(client: McpClient, o: DriveOptions, wire: SchemaTap['messages']): Promise<void> {
  const caps = client.serverCapabilities ?? {};
  const t = { timeoutMs: o.timeoutMs };
  // 2026-07-28 changelog: logging/setLevel and resources/subscribe are gone from the modern era.
  if (caps.logging && eraOf(o) === 'legacy') {
    for (const level of LEVELS) await attempt(o, wire, 'logging.set-level', `logging/setLevel ${level}`, () => client.setLoggingLevel(level, t));
  }
  if (caps.tools) await exerciseTools(client, o, wire);
  if (caps.resources) await exerciseResources(client, o, caps.resources.subscribe === true && eraOf(o) === 'legacy', wire);
  if (caps.prompts) await exercisePrompts(client, o, caps.completions !== undefined, wire);
  // Last, so a server that loses input (stdio.framing-input) stops the session where it did before.
  // The modern era's unknown methods are checked with their HTTP status (http-modern.ts, stdio-modern.ts).
  if (eraOf(o) === 'legacy') {
    await probeUnknownMethod(client, o, wire);
    await probePing(client, o, wire);
  }
}

const ajv = new Ajv2020({ strict: false, allErrors: false });

function checkStructured(o: DriveOptions, tool: Tool, result: { structuredContent?: unknown; isError?: boolean }): void {
  if (tool.outputSchema === undefined || result.isError === true) return;
  if (result.structuredContent === undefined) {
    o.rec.fail('tools.structured-content', `${tool.name} declares outputSchema but returned no structuredContent`, result, eraOf(o));
    return;
  }
  let ok: boolean;
  try {
    const validate = ajv.compile(tool.outputSchema as object);
    ok = validate(result.structuredContent) as boolean;
  } catch (error) {
    o.rec.skip('tools.structured-content', `${tool.name}: its outputSchema does not compile (${error instanceof Error ? error.message : String(error)})`, eraOf(o));
    return;
  }
  if (ok) o.rec.pass('tools.structured-content', `${tool.name} structuredContent conforms`, eraOf(o));
  else o.rec.fail('tools.structured-content', `${tool.name} structuredContent does not match its outputSchema`, result.structuredContent, eraOf(o));
}

async function exerciseTools(client: McpClient, o: DriveOptions, wire: SchemaTap['messages']): Promise<void> {
  const tools = await listPaged('tools/list', () => client.listTools({ timeoutMs: o.timeoutMs }), o, eraOf(o), wire);
  checkToolNames(tools, o, eraOf(o));
  await probeUnknownTool(client, o, eraOf(o), wire);
  for (const tool of tools) {
    if (!o.allowDestructive && isDestructive(tool)) {
      o.rec.skip('tools.destructive-skipped', `${tool.name} skipped: not marked readOnlyHint or destructiveHint: false`, eraOf(o));
      continue;
    }
    // 2025-11-25 basic/utilities/tasks: taskSupport "required" tools refuse plain calls.
    if ((tool as { execution?: { taskSupport?: unknown } }).execution?.taskSupport === 'required') {
      o.rec.skip('tools.valid-call', `${tool.name} must be called as a task`, eraOf(o));
      continue;
    }
    const args = validArguments(tool.inputSchema);
    const from = wire.length;
    try {
      const result = await client.callTool(tool.name, args, { timeoutMs: o.timeoutMs, onProgress: () => undefined });
      if (result.isError === true) o.rec.fail('tools.valid-call', `${tool.name}(${JSON.stringify(args)}) answered isError`, result, eraOf(o));
      else o.rec.pass('tools.valid-call', `${tool.name} answered`, eraOf(o));
      checkStructured(o, tool, result);
      checkStructuredText(tool.name, result, o, eraOf(o));
    } catch (error) {
      const why = `${tool.name}(${JSON.stringify(args)}): ${error instanceof Error ? error.message : String(error)}`;
      if (wire.slice(from).some((m) => m.direction === 'server-to-client' && answersToolUseWrongly(m.message))) o.rec.skip('tools.valid-call', `${why} (the check's client refused a sampling request that carried its model's tool use back wrongly: sampling.tool-results)`, eraOf(o));
      else o.rec.fail('tools.valid-call', why, exchangeSince(wire, from), eraOf(o));
    }
    await callInvalid(client, tool, o, wire);
  }
}

async function callInvalid(client: McpClient, tool: Tool, o: DriveOptions, wire: SchemaTap['messages']): Promise<void> {
  const bad = invalidArguments(tool.inputSchema);
  if (bad === undefined) {
    o.rec.skip('tools.invalid-arguments', `${tool.name}: its inputSchema accepts any arguments`, eraOf(o));
    return;
  }
  const from = wire.length;
  try {
    const result = await client.callTool(tool.name, bad, { timeoutMs: o.timeoutMs });
    if (result.isError === true) o.rec.pass('tools.invalid-arguments', `${tool.name} answered isError`, eraOf(o));
    else o.rec.fail('tools.invalid-arguments', `${tool.name}(${JSON.stringify(bad)}) succeeded with arguments its inputSchema rejects`, result, eraOf(o));
  } catch (error) {
    rethrowIfClosed(error);
    const code = (error as { code?: unknown }).code;
    if (code === -32602) o.rec.pass('tools.invalid-arguments', `${tool.name} answered -32602`, eraOf(o));
    // 2026-07-28 (SEP-2243): a wrong-typed argument mirrored in an Mcp-Param-* header no longer matches it; -32020 refuses the call as precisely.
    else if (code === -32020 && eraOf(o) === 'modern' && JSON.stringify(tool.inputSchema).includes('"x-mcp-header"')) o.rec.pass('tools.invalid-arguments', `${tool.name} answered -32020: its wrong-typed argument is mirrored in a header`, eraOf(o));
    else o.rec.fail('tools.invalid-arguments', `${tool.name}(${JSON.stringify(bad)}): ${error instanceof Error ? error.message : String(error)}`, exchangeSince(wire, from), eraOf(o));
  }
}

async function exerciseResources(client: McpClient, o: DriveOptions, subscribe: boolean, wire: SchemaTap['messages']): Promise<void> {
  const t = { timeoutMs: o.timeoutMs };
  const resources = await listPaged('resources/list', () => client.listResources(t), o, eraOf(o), wire);
  for (const r of resources) await attempt(o, wire, 'resources.read', `resources/read ${r.uri}`, () => client.readResource(r.uri, t));
  await attempt(o, wire, 'resources.read', 'resources/templates/list', () => client.listResourceTemplates(t));
  await probeUnknownResource(client, o, eraOf(o), wire);
  const first = resources[0];
  if (subscribe && first) {
    await attempt(o, wire, 'resources.subscribe', `subscribe ${first.uri}`, async () => {
      await client.subscribeResource(first.uri, t);
      await client.unsubscribeResource(first.uri, t);
    });
  }
}

async function exercisePrompts(client: McpClient, o: DriveOptions, completions: boolean, wire: SchemaTap['messages']): Promise<void> {
  const t = { timeoutMs: o.timeoutMs };
  for (const p of await listPaged('prompts/list', () => client.listPrompts(t), o, eraOf(o), wire)) {
    const args: Record<string, string> = {};
    // Prompt arguments have no schema: a name that says URI gets a URI.
    for (const a of p.arguments ?? []) if (a.required === true) args[a.name] = String(validValue({ type: 'string', ...(/ur[il]$/i.test(a.name) ? { format: 'uri' } : {}) }));
    await attempt(o, wire, 'prompts.get', `prompts/get ${p.name}`, () => client.getPrompt(p.name, args, t));
    const firstArg = p.arguments?.[0];
    if (completions && firstArg) {
      await attempt(o, wire, 'completion.complete', `complete ${p.name}.${firstArg.name}`, () => client.complete({ type: 'ref/prompt', name: p.name }, { name: firstArg.name, value: '' }, t));
    }
  }
}
