/**
 * `runCheck`: the whole conformance run against one server. For HTTP: the authorization
 * surface when challenged, the modern era (when the server speaks it), the legacy transport
 * rules, resumption, and a driven legacy session; for stdio: the driven session. Every
 * outcome is a finding; the report's summary says whether a MUST failed.
 */
import { createRecorder, type Finding, type FindingRecorder, type RuleFilter } from './findings.ts';
import { MODERN_ONLY_RULE_IDS, RULE_IDS } from './catalog.ts';
import { driveLegacy, DEFAULT_MAX_VALIDATED, type Target } from './driver.ts';

export { DEFAULT_MAX_VALIDATED };
import { driveModern } from './driver-modern.ts';
import { checkLegacyHttp, SessionNotOpened, type HttpTarget } from './http-legacy.ts';
import { checkResume } from './resume.ts';
import { checkRelatedStream } from './related-stream.ts';
import { checkAnswerAccepted } from './answer-accepted.ts';
import { checkCancelZero, checkCancellation } from './cancel.ts';
import { checkModernHttp } from './http-modern.ts';
import { checkAuth, checkQueryToken } from './auth.ts';
import { checkModernStdio, MODERN_NOT_SPOKEN } from './stdio-modern.ts';
import { checkStdioFraming, DEFAULT_STDIO_EXIT_MS } from './stdio-framing.ts';
import { checkStdioJsonRpc } from './stdio-jsonrpc.ts';
import { DEFAULT_START_TIMEOUT_MS } from './stdio-start.ts';
import { makeReport, NOT_RUN_PREFIX, type CheckReport } from './report.ts';
import { judgeEraListings } from './modern-tools-list.ts';
import type { Obj } from '../validate-schema-checks.ts';
import { DEFAULT_MAX_REPLY_BYTES } from './raw-http.ts';
import { inFlightOf } from './in-flight.ts';
import { LegacyNotSpoken } from './legacy-not-spoken.ts';

/** The default bound on each exchange, ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The legacy version asked for when `--spec-version` names none. */
export const DEFAULT_LEGACY_VERSION = '2025-11-25';
/** The modern version probed. */
export const MODERN_VERSION = '2026-07-28';

/** Options of {@link runCheck}. */
export interface CheckOptions extends RuleFilter {
  readonly target: Target;
  /** Bound on each exchange, ms. Default {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Check only this version's era, asking for it. Default: every era the server speaks. */
  readonly specVersion?: string;
  /** Call tools that may be destructive. Default false. */
  readonly allowDestructive?: boolean;
  /** A bearer token for servers that require authorization. */
  readonly token?: string;
  /**
   * stdio: the wait for each fresh process's first answer, ms (the per-exchange `timeoutMs`
   * when that is longer). Default {@link DEFAULT_START_TIMEOUT_MS} (60 s): a server slow to
   * start (Python, an `npx` download) is not "unreachable".
   */
  readonly startTimeoutMs?: number;
  /** stdio: bound on the server's exit after its stdin closes, ms. Default {@link DEFAULT_STDIO_EXIT_MS}. */
  readonly stdioExitMs?: number;
  /** The server's POST body limit, bytes; the 413 probe goes just above it. Default: 4 MiB, assumed. */
  readonly maxBodyBytes?: number;
  /**
   * Most bytes of one reply's body (a JSON body, or an SSE stream's events) the HTTP probes
   * read; past it the exchange fails and says so. Default {@link DEFAULT_MAX_REPLY_BYTES}.
   */
  readonly maxReplyBytes?: number;
  /** How long a 2026-07-28 `subscriptions/listen` stream is held open after its acknowledgement, ms. Default 500 (`DEFAULT_LISTEN_WINDOW_MS`, modern-listen.ts). */
  readonly listenWindowMs?: number;
  /**
   * 2026-07-28: a tool the check calls (with generated arguments) once a `subscriptions/listen`
   * is acknowledged, so the server has something real to notify: one that changes the tool list
   * or a listed resource. Default none (the listen only watches).
   */
  readonly listenTrigger?: string;
  /**
   * Most messages of one driven session validated against the schema; past it a flood is
   * counted, not checked (the report says how many). Default {@link DEFAULT_MAX_VALIDATED}.
   */
  readonly maxMessages?: number;
}

function describeTarget(target: Target): string {
  return target.kind === 'http' ? target.url : `stdio: ${[target.command, ...target.args].join(' ')}`;
}

/** The error's message with its causes' (a timeout names the bound `timeoutMs`) ("fetch failed: connect ECONNREFUSED 127.0.0.1:1"): undici's own says only "fetch failed". */
function message(error: unknown, timeoutMs: number): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let i = 0; i < 4 && e !== undefined && e !== null; i++) {
    // AbortSignal.timeout's own text ("The operation was aborted due to timeout") names no bound.
    const text = e instanceof Error && e.name === 'TimeoutError' ? `no response within the exchange bound (--timeout ${timeoutMs} ms)` : e instanceof Error ? e.message : String(e);
    if (text !== '' && !parts.some((part) => part.includes(text))) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  const during = inFlightOf(error);
  const hint = networkHint(error);
  // The request in flight first: "during tools/call (id 7): fetch failed: other side closed".
  return `${during === undefined ? parts.join(': ') : `during ${during}: ${parts.join(': ')}`}${hint}`;
}

/** What a network failure means for the person running the check, from its error code (or a timeout); '' when nothing more can be said. */
function networkHint(error: unknown): string {
  let e: unknown = error;
  for (let i = 0; i < 4 && e instanceof Error; i++, e = e.cause) {
    if (e.name === 'TimeoutError') return ': raise --timeout if the server is slow, else see why it hangs';
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return ' (nothing accepts connections there: start the server, or check the URL\'s host and port)';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ' (the host name does not resolve: check the URL\'s host)';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return ' (the server closed the connection without answering: its own log should say why)';
  }
  return '';
}

/** Run every selected check against `options.target`. Never throws for a faulty server: faults are findings. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const started = new Date();
  const rec = createRecorder(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const wanted = options.specVersion;
  const legacyWanted = wanted === undefined || wanted < MODERN_VERSION;
  const modernWanted = wanted === undefined || wanted >= MODERN_VERSION;
  const legacyVersion = wanted !== undefined && wanted < MODERN_VERSION ? wanted : DEFAULT_LEGACY_VERSION;
  const eras: string[] = [];
  const target = options.target;
  // Each era's first tool listing, compared once both ran (tools.eras-alike); the hooks go in with maxValidated.
  const listings: { legacy?: readonly Obj[]; modern?: readonly Obj[] } = {};
  const maxValidated = options.maxMessages === undefined ? {} : { maxValidated: options.maxMessages };
  const listed = (era: 'legacy' | 'modern') => ({ ...maxValidated, onListing: (tools: readonly Obj[]) => { listings[era] = tools; } });
  if (target.kind === 'http') {
    const headers = options.token === undefined ? target.headers : { ...target.headers, authorization: `Bearer ${options.token}` };
    const http: HttpTarget = {
      url: target.url, timeoutMs, headers, rec, version: legacyVersion, maxReplyBytes: options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.listenWindowMs === undefined ? {} : { listenWindowMs: options.listenWindowMs }),
      ...(options.listenTrigger === undefined ? {} : { listenTrigger: options.listenTrigger }),
      allowDestructive: options.allowDestructive === true,
    };
    // Each step is in one era, and a failure that stops it is that era's run.reachable finding.
    const steps: Array<[string, 'modern' | 'legacy', () => Promise<unknown>]> = [];
    // initialize got no result: the driven legacy session would only fail the same way again.
    let legacyUnopened = false;
    const challenged = await checkAuth(http).catch((error: unknown) => {
      rec.fail('run.reachable', `${target.url}: ${message(error, timeoutMs)}`, undefined, 'any');
      return 'unreachable' as const;
    });
    if (challenged === 'challenged' && options.token === undefined) rec.skip('auth.query-token', 'no --token: the query-string probe offers the given token');
    if (challenged === 'unreachable') recordNotRun(rec, target);
    if (challenged === 'unreachable' || (challenged === 'challenged' && options.token === undefined)) {
      return makeReport(describeTarget(target), eras, started, rec.findings);
    }
    if (challenged === 'challenged' && options.token !== undefined) {
      await checkQueryToken(http, options.token).catch((error: unknown) => rec.fail('run.reachable', `the query-token probe stopped: ${message(error, timeoutMs)}`, undefined, 'any'));
    }
    const drive = { rec, timeoutMs, allowDestructive: options.allowDestructive === true, ...listed('modern') };
    if (modernWanted) {
      steps.push(['modern', 'modern', async () => {
        if (!(await checkModernHttp(http))) return;
        eras.push(MODERN_VERSION);
        await driveModern({ ...target, headers }, drive);
      }]);
    }
    if (legacyWanted) {
      steps.push(['legacy transport', 'legacy', async () => {
        const session = await checkLegacyHttp(http);
        eras.push(session.version);
        await checkResume(http, session);
        const cancelled = await checkCancellation(http, session);
        if (cancelled !== undefined) await checkCancelZero(http, cancelled);
        await checkRelatedStream(http);
        await checkAnswerAccepted(http);
      }]);
      steps.push(['legacy session', 'legacy', async () => legacyUnopened ? undefined : driveLegacy({ ...target, headers }, { rec, timeoutMs, version: legacyVersion, allowDestructive: options.allowDestructive === true, ...listed('legacy') })]);
    }
    for (const [name, era, step] of steps) {
      try {
        await step();
      } catch (error) {
        if (error instanceof SessionNotOpened) legacyUnopened = true;
        // A 2026-07-28-only server refuses the legacy era by design: its rules are not run, nothing failed.
        if (error instanceof SessionNotOpened && error.speaks !== undefined && eras.includes(MODERN_VERSION)) recordEraNotSpoken(rec, target, `the server speaks no legacy version (${error.message})`);
        else {
          const speaks = error instanceof SessionNotOpened && error.speaks !== undefined ? `: check it with --spec-version ${error.speaks[0]!}, or without --spec-version` : '';
          rec.fail('run.reachable', `${name} checks stopped: ${message(error, timeoutMs)}${speaks}`, error instanceof SessionNotOpened ? error.exchange : undefined, era);
        }
      }
    }
  } else {
    try {
      // A fresh process per era: 2026-07-28 basic/versioning, a stdio server's first message picks its era.
      const maxLineChars = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
      const start = options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs };
      if (modernWanted && (await checkModernStdio(target.command, target.args, rec, timeoutMs, maxLineChars, { allowDestructive: options.allowDestructive === true, ...start, ...(options.listenWindowMs === undefined ? {} : { listenWindowMs: options.listenWindowMs }), ...(options.listenTrigger === undefined ? {} : { listenTrigger: options.listenTrigger }) }))) {
        eras.push(MODERN_VERSION);
        // A session that stopped (the server exited mid-check) is this era's finding; the legacy era is still checked.
        await driveModern(target, { rec, timeoutMs, ...start, allowDestructive: options.allowDestructive === true, ...listed('modern') })
          .catch((error: unknown) => rec.fail('run.reachable', `the 2026-07-28 session stopped: ${message(error, timeoutMs)}`, undefined, 'modern'));
      }
      if (legacyWanted) {
        let stopped: unknown;
        const version = await driveLegacy(target, { rec, timeoutMs, ...start, version: legacyVersion, allowDestructive: options.allowDestructive === true, ...listed('legacy') })
          .catch((error: unknown) => { stopped = error ?? 'stopped'; return undefined; });
        if (version !== undefined) eras.push(version);
        // Framing is checked even when the session stopped: a server that loses lines stops
        // sessions, and the framing finding is the cause to report.
        // Two fresh processes side by side: the framing probes wait on the server's exit, the
        // string-id and version probes mostly on its start.
        await Promise.all([
          checkStdioFraming({ command: target.command, args: target.args, rec, timeoutMs, ...start, version: legacyVersion, exitTimeoutMs: options.stdioExitMs ?? DEFAULT_STDIO_EXIT_MS, maxLineChars }),
          stopped === undefined ? checkStdioJsonRpc({ command: target.command, args: target.args, rec, timeoutMs, ...start, maxLineChars }) : undefined,
        ]);
        // A 2026-07-28-only server refuses the legacy era by design, as over HTTP above.
        if (stopped instanceof LegacyNotSpoken && eras.includes(MODERN_VERSION)) recordEraNotSpoken(rec, target, `the server speaks no legacy version (${stopped.message})`);
        else if (stopped instanceof LegacyNotSpoken) rec.fail('run.reachable', `the legacy session did not open: ${stopped.message}: check it with --spec-version ${stopped.speaks[0]!}, or without --spec-version`, undefined, 'legacy');
        else if (stopped !== undefined) recordStop(rec, stopped, timeoutMs);
      }
      // A legacy-only server: its other 2026-07-28 rules are listed under the same reason as modern.discover.
      const notSpoken = `${NOT_RUN_PREFIX}${MODERN_NOT_SPOKEN}`;
      if (eras.length > 0 && rec.findings.some((f) => f.id === 'modern.discover' && f.detail === notSpoken)) {
        const recorded = new Set<string>(rec.findings.map((f) => f.id));
        for (const id of MODERN_ONLY_RULE_IDS) if (!recorded.has(id)) rec.skip(id, notSpoken, 'modern');
      }
    } catch (error) {
      rec.fail('run.reachable', `stdio checks stopped: ${message(error, timeoutMs)}`, undefined, 'any');
    }
  }
  if (eras.length === 0) recordNotRun(rec, target);
  else judgeEraListings(rec, listings.legacy, listings.modern);
  return makeReport(describeTarget(target), [...new Set(eras)], started, rec.findings as Finding[]);
}

/**
 * No era could be checked (the server could not be reached, did not start, or never opened a
 * session): each rule of this transport that has no finding is recorded as skipped, saying
 * why, so the report shows what was left unchecked rather than a lone failure and a skip
 * count of 0. Client rules, and the other transport's, never apply to this target.
 */
function recordNotRun(rec: FindingRecorder, target: Target): void {
  const reach = rec.findings.find((f) => f.id === 'run.reachable' && f.outcome === 'fail');
  // A session that opened and then stopped is a server failing mid-check, not one never reached.
  if (reach === undefined || rec.findings.some((f) => f.id === 'run.reachable' && f.outcome === 'pass')) return;
  const recorded = new Set<string>(rec.findings.map((f) => f.id));
  const other = target.kind === 'http' ? ['stdio.', 'client.'] : ['http.', 'auth.', 'client.'];
  const why = target.kind === 'http' ? 'the server could not be reached or initialized' : 'the server did not start or did not answer';
  for (const id of RULE_IDS) {
    if (recorded.has(id) || other.some((prefix) => id.startsWith(prefix))) continue;
    // The reason, not the failure's text again: the report says that once.
    rec.skip(id, `${NOT_RUN_PREFIX}no era could be checked, ${why} (the reachability failure)`, 'any');
  }
}

/**
 * The server speaks no legacy version (`why`), and the 2026-07-28 era was checked: every
 * rule of this transport with no finding yet, save the 2026-07-28 ones, is recorded as not run
 * for that reason.
 */
function recordEraNotSpoken(rec: FindingRecorder, target: Target, why: string): void {
  const recorded = new Set<string>(rec.findings.map((f) => f.id));
  const other = target.kind === 'http' ? ['stdio.', 'client.', 'modern.'] : ['http.', 'auth.', 'client.', 'modern.'];
  for (const id of RULE_IDS) if (!recorded.has(id) && !other.some((prefix) => id.startsWith(prefix))) rec.skip(id, `${NOT_RUN_PREFIX}${why}`, 'legacy');
}

/**
 * A stdio session that stopped: a failure of its own, unless the framing check found the server
 * losing input, which explains the stop (a request written with another in one chunk is never
 * answered); then it is noted as a consequence, so the report names the cause once.
 */
function recordStop(rec: FindingRecorder, error: unknown, timeoutMs: number): void {
  const cause = rec.findings.find((f) => f.id === 'stdio.framing-input' && f.outcome === 'fail');
  if (cause) rec.skip('run.reachable', `the legacy session stopped (${message(error, timeoutMs)}), a consequence of stdio.framing-input failing: fix that first`, 'any');
  else rec.fail('run.reachable', `stdio checks stopped: ${message(error, timeoutMs)}`, undefined, 'any');
}
