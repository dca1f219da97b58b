/** `mcpwire check`: the conformance runner; see conformance/check/ and `mcpwire check --help`. */
import { writeFile } from 'node:fs/promises';
import { couldNotRun, ensureSchemaDir, formatHtml, formatJson, formatJunit, formatText, runCheck, runClientCheck, ASK_TIMEOUT_MS, DEFAULT_MAX_VALIDATED, DEFAULT_START_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, RULE_CATALOG, type CheckReport } from 'mcpwire/conformance';
import { parseCommandArgs, UsageError } from './args.ts';

/** The text of `mcpwire check --help`. */
export const CHECK_HELP = `Usage: mcpwire check [options] <url>
       mcpwire check [options] -- <command> [args...]
       mcpwire check --client [options] -- <client command with {url}>
       mcpwire check --client [options] -- <client command with {server}>

Check an MCP server against the spec: every message both ways validated against the spec's
schema, the rules no schema states, the server's whole surface driven (tools called with
generated valid and invalid arguments, resources, prompts, completion, logging,
subscriptions), the Streamable HTTP transport rules (statuses, sessions, Origin, resumption),
the 2026-07-28 era when the server speaks it, and the authorization surface when it challenges.

With --client, mcpwire plays a scripted server on loopback HTTP and runs the client's
command with {url} replaced by its address: it checks every message and header the client
sends, expires its session after the first tool call (the client must initialize anew), and
asks for roots, a sample and a form through the check_ask tool, then samples with a tool
offered (toolChoice none and required when it declared sampling.tools; without it, a request
it must refuse). A client that speaks
2026-07-28 is answered in that era (headers, requestState echo in check_ask's input rounds).
A stdio client names {server} where the server command goes: it becomes a small node relay
to the scripted server in this process (as one argument: several words; inside an argument:
the shell-quoted command).

Exit codes:
  0  no MUST rule failed
  1  a MUST rule failed
  2  bad usage (an unknown option, a bad value, a rule filter that names no rule)
  3  the check could not run: no era was checked (the server could not be reached, did not
     start, or opened no session; with --client, the client never reached the scripted server;
     the report lists the rules not run and why), or the checker itself failed (the spec
     schemas unavailable, a --junit or --html file not writable)

Options:
  --client               check a client instead of a server (see above)
  --json                 print the report as JSON instead of text
  --junit FILE           also write a JUnit XML report to FILE
  --html FILE            also write a self-contained HTML report to FILE
  --only LIST            check only these rule ids or prefixes (comma-separated, e.g. http.,schema.message)
  --skip LIST            do not check these rule ids or prefixes
  --timeout MS           bound on each exchange (default ${DEFAULT_TIMEOUT_MS})
  --spec-version V       check only V's era, asking for V (default: every era the server speaks,
                         2025-11-25 for the legacy one)
  --allow-destructive    also call tools not marked readOnlyHint or destructiveHint: false
  --token TOKEN          send Authorization: Bearer TOKEN (servers that require authorization)
  --start-timeout MS     stdio: how long a freshly started server may take to answer its first
                         request (default ${DEFAULT_START_TIMEOUT_MS}; --timeout when that is longer)
  --exit-timeout MS      stdio: how long the server may take to exit once its stdin closes
                         (default 5000)
  --max-body BYTES       the server's POST body limit: a body just above it must get 413
                         (default: 4194304 assumed, and a served body only skips the rule)
  --max-reply BYTES      most bytes of one reply's body the HTTP probes read; past it the
                         exchange fails and says so (default 16777216)
  --listen-window MS     2026-07-28: how long a subscriptions/listen stream is held open after
                         its acknowledgement, watching for notifications not asked for (default 500)
  --listen-trigger TOOL  2026-07-28: call TOOL once a listen is acknowledged, so the server has
                         something real to notify (a tool that changes a resource or the tool
                         list; default: none, the listen only watches)
  --max-messages N       most messages of one driven session validated against the schema;
                         past it a flood is counted, not checked (default ${DEFAULT_MAX_VALIDATED})
  --ask-timeout MS       with --client: how long a sampling request waits for the client's
                         answer, and a 2026-07-28 client may take to end a call it refuses
                         (default ${ASK_TIMEOUT_MS})
  --verbose              list passed and skipped checks too
  -h, --help             show this help

Schemas: MCP_SCHEMA_DIR (a folder holding <version>/schema.json), else ../shared/spec beside
a checkout (never for an installed package), else the pinned files downloaded once from the spec repository (SHA-256 checked)
into MCPWIRE_CACHE_DIR (default ~/.cache/mcpwire; MCPWIRE_SCHEMA_URL replaces the download base).
`;

/** Every option `mcpwire check` takes (the help test holds CHECK_HELP to this table). */
export const CHECK_OPTIONS = {
  json: { type: 'boolean' }, junit: { type: 'string' }, html: { type: 'string' }, only: { type: 'string' }, skip: { type: 'string' },
  timeout: { type: 'string' }, 'spec-version': { type: 'string' }, 'allow-destructive': { type: 'boolean' },
  token: { type: 'string' }, 'max-body': { type: 'string' }, 'max-reply': { type: 'string' }, 'exit-timeout': { type: 'string' }, 'listen-window': { type: 'string' }, 'listen-trigger': { type: 'string' },
  'max-messages': { type: 'string' }, 'start-timeout': { type: 'string' }, 'ask-timeout': { type: 'string' }, client: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * `patterns` of `--flag`, each naming a rule id or an id prefix (`http.`, `http`): a misspelt
 * one would select nothing, and the run would report "no MUST failure" having checked nothing.
 */
function ruleFilter(flag: string, patterns: string[] | undefined): string[] | undefined {
  const ids = Object.keys(RULE_CATALOG);
  for (const p of patterns ?? []) {
    if (ids.some((id) => id === p || (p.endsWith('.') && id.startsWith(p)) || id.startsWith(`${p}.`))) continue;
    const near = ids.filter((id) => id.startsWith(p)).slice(0, 5);
    const families = [...new Set(ids.map((id) => id.slice(0, id.indexOf('.') + 1)))].join(' ');
    throw new UsageError(`--${flag} ${p}: no rule has that id or prefix (${near.length > 0 ? `did you mean ${near.join(', ')}?` : `families: ${families}`})`);
  }
  return patterns;
}

/** The exit codes of `mcpwire check` (CHECK_HELP and the README list them). */
export const CHECK_EXIT = { passed: 0, mustFailed: 1, usage: 2, couldNotRun: 3 } as const;

/** Run `mcpwire check`; resolves to the exit code ({@link CHECK_EXIT}). */
export async function checkCommand(argv: string[]): Promise<number> {
  try {
    return await check(argv);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Not a verdict on the target: a CI job must tell this apart from a MUST failure (1).
    process.stderr.write(`mcpwire check: could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    return CHECK_EXIT.couldNotRun;
  }
}

async function check(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  const { values, positionals } = parseCommandArgs(own, CHECK_OPTIONS);
  if (values.help === true) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  const timeoutMs = positive('timeout', values.timeout);
  const maxBodyBytes = positive('max-body', values['max-body']);
  const maxReplyBytes = positive('max-reply', values['max-reply']);
  const stdioExitMs = positive('exit-timeout', values['exit-timeout']);
  const startTimeoutMs = positive('start-timeout', values['start-timeout']);
  const listenWindowMs = positive('listen-window', values['listen-window']);
  const maxMessages = positive('max-messages', values['max-messages']);
  const askTimeoutMs = positive('ask-timeout', values['ask-timeout']);
  if (askTimeoutMs !== undefined && values.client !== true) throw new UsageError('--ask-timeout goes with --client');
  const only = ruleFilter('only', list(values.only));
  const skip = ruleFilter('skip', list(values.skip));
  const filter = { ...(only ? { only } : {}), ...(skip ? { skip } : {}) };
  if (values.client === true) {
    if (command.length === 0 || !command.some((part) => part.includes('{url}') || part.includes('{server}'))) throw new UsageError('--client needs a command after -- with {url} (HTTP: the server address) or {server} (stdio: the server command)');
    await ensureSchemaDir(schemaSource());
    const report = await runClientCheck({ command, ...filter, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(askTimeoutMs !== undefined ? { askTimeoutMs } : {}) });
    return emit(report, values);
  }
  let target;
  if (command.length > 0) {
    if (positionals.length > 0) throw new UsageError('give a URL or a command after --, not both');
    target = { kind: 'stdio' as const, command: command[0]!, args: command.slice(1) };
  } else {
    const url = positionals[0];
    if (url === undefined || positionals.length > 1) throw new UsageError('give one server URL, or a command after --');
    if (!/^https?:\/\//.test(url)) throw new UsageError(`"${url}" is not an http(s) URL`);
    target = { kind: 'http' as const, url, headers: {} };
  }
  await ensureSchemaDir(schemaSource());
  const report = await runCheck({
    target, ...filter,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(values['spec-version'] !== undefined ? { specVersion: values['spec-version'] } : {}),
    allowDestructive: values['allow-destructive'] === true,
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    ...(maxReplyBytes !== undefined ? { maxReplyBytes } : {}),
    ...(stdioExitMs !== undefined ? { stdioExitMs } : {}),
    ...(startTimeoutMs !== undefined ? { startTimeoutMs } : {}),
    ...(listenWindowMs !== undefined ? { listenWindowMs } : {}),
    ...(maxMessages !== undefined ? { maxMessages } : {}),
    ...(values['listen-trigger'] !== undefined ? { listenTrigger: values['listen-trigger'] } : {}),
  });
  return emit(report, values);
}

function schemaSource(): { baseUrl?: string } {
  const base = process.env.MCPWIRE_SCHEMA_URL;
  return base ? { baseUrl: base } : {};
}

async function emit(report: CheckReport, values: { json?: boolean; junit?: string; html?: string; verbose?: boolean }): Promise<number> {
  process.stdout.write(values.json === true ? formatJson(report) : formatText(report, { verbose: values.verbose === true }));
  if (values.junit !== undefined) await writeFile(values.junit, formatJunit(report));
  if (values.html !== undefined) await writeFile(values.html, formatHtml(report));
  if (couldNotRun(report)) return CHECK_EXIT.couldNotRun;
  return report.summary.passed ? CHECK_EXIT.passed : CHECK_EXIT.mustFailed;
}
