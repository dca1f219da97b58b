/**
 * `mcpwire conformance-client <url>`: the client the official conformance suite
 * (`@modelcontextprotocol/conformance`, client mode) launches. The suite starts a mock
 * server per scenario and runs `<command> <url>` with MCP_CONFORMANCE_SCENARIO naming the
 * scenario, MCP_CONFORMANCE_PROTOCOL_VERSION the revision whose wire to speak, and for some
 * scenarios MCP_CONFORMANCE_CONTEXT (JSON). Exit 0 when the scenario's steps succeeded.
 */
import { appendFileSync } from 'node:fs';
import { conformanceAuth, playClientScenario } from 'mcpwire/conformance';
import { eraOf, HttpError, isSupportedVersion, LATEST_PROTOCOL_VERSION } from 'mcpwire/protocol';
import { parseCommandArgs, UsageError } from './args.ts';

const HELP = `Usage: mcpwire conformance-client <url>

The client under test of the official MCP conformance suite (client mode), e.g.
  conformance client --command "node bin/mcpwire.js conformance-client" --requirements 2025-11-25

Environment:
  MCP_CONFORMANCE_SCENARIO          scenario to play (required): initialize, tools_call, sse-retry,
                                    elicitation-sep1034-client-defaults, json-schema-2020-12-preservation,
                                    and at 2026-07-28 sep-2322-client-request-state, http-standard-headers,
                                    http-custom-headers, http-invalid-tool-headers;
                                    auth/* (signs in with the OAuth client first, see conformance/client-auth.ts);
                                    any other scenario connects, lists tools (or pings) and closes
  MCP_CONFORMANCE_PROTOCOL_VERSION  revision to speak (default ${LATEST_PROTOCOL_VERSION}): 2026-07-28 is
                                    stateless, the revisions up to 2025-11-25 stateful
  MCP_CONFORMANCE_CONTEXT           scenario data (JSON), when the suite provides some
  CONFORMANCE_EXIT_LOG              when set, "<scenario> <exit code>" is appended to this file

Options:
  -h, --help                        show this help
`;

/** MCP_CONFORMANCE_CONTEXT as an object; undefined when unset or not a JSON object. */
function readContext(): Record<string, unknown> | undefined {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    say('note: MCP_CONFORMANCE_CONTEXT is not JSON; ignored');
    return undefined;
  }
}

function say(text: string): void {
  process.stdout.write(`conformance-client: ${text}\n`);
}

export async function conformanceClientCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one argument: the server URL');
  const url = positionals[0] as string;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`not a URL: ${JSON.stringify(url)}`);
  }
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO;
  if (!scenario) throw new UsageError('MCP_CONFORMANCE_SCENARIO is not set (the conformance suite sets it)');
  const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION || LATEST_PROTOCOL_VERSION;
  let code = 1;
  try {
    if (eraOf(version) !== 'modern' && !isSupportedVersion(version)) {
      say(`protocol ${version} is not supported by this client (2026-07-28 and the stateful revisions up to ${LATEST_PROTOCOL_VERSION} are)`);
    } else {
      await playClientScenario(url, scenario, version, readContext(), await conformanceAuth(scenario, process.env.MCP_CONFORMANCE_CONTEXT));
      say(`scenario ${scenario}: done`);
      code = 0;
    }
  } catch (error) {
    const status = error instanceof HttpError ? ` [HTTP ${error.status}]` : '';
    say(`scenario ${scenario} failed${status}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const exitLog = process.env.CONFORMANCE_EXIT_LOG;
  if (exitLog) appendFileSync(exitLog, `${scenario} ${code}\n`);
  return code;
}
