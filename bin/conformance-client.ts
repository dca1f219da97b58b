/**
 * `mcpwire conformance-client <url>`: the client the official conformance suite
 * (`@modelcontextprotocol/conformance`, client mode) launches. The suite starts a mock
 * server per scenario and runs `<command> <url>` with MCP_CONFORMANCE_SCENARIO naming the
 * scenario, MCP_CONFORMANCE_PROTOCOL_VERSION the revision whose wire to speak, and for some
 * scenarios MCP_CONFORMANCE_CONTEXT (JSON). Exit 0 when the scenario's steps succeeded.
 */
import { appendFileSync } from 'node:fs';
import { createClient, createHttpClientTransport, type ClientOptions, type McpClient } from 'mcpwire/client';
import { eraOf, HttpError, isSupportedVersion, LATEST_PROTOCOL_VERSION, type Tool } from 'mcpwire/protocol';
import { parseCommandArgs, UsageError } from './args.ts';

const HELP = `Usage: mcpwire conformance-client <url>

The client under test of the official MCP conformance suite (client mode), e.g.
  conformance client --command "node bin/mcpwire.js conformance-client" --requirements 2025-11-25

Environment:
  MCP_CONFORMANCE_SCENARIO          scenario to play (required): initialize, tools_call, sse-retry,
                                    elicitation-sep1034-client-defaults, json-schema-2020-12-preservation;
                                    any other scenario connects, lists tools (or pings) and closes
  MCP_CONFORMANCE_PROTOCOL_VERSION  revision to speak (default ${LATEST_PROTOCOL_VERSION}); only the stateful
                                    revisions up to 2025-11-25 are supported
  MCP_CONFORMANCE_CONTEXT           scenario data (JSON), when the suite provides some
  CONFORMANCE_EXIT_LOG              when set, "<scenario> <exit code>" is appended to this file

Options:
  -h, --help                        show this help
`;

/** How long one request may take; the suite kills the client after 30 s by default. */
const REQUEST_TIMEOUT_MS = 20_000;

/** One scenario: what the client declares, and the steps it takes once connected. */
interface Scenario {
  options?: ClientOptions;
  run(client: McpClient): Promise<void>;
}

function say(text: string): void {
  process.stdout.write(`conformance-client: ${text}\n`);
}

async function toolNamed(client: McpClient, name: string): Promise<Tool> {
  const tools = await client.listTools({ timeoutMs: REQUEST_TIMEOUT_MS });
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`the server lists no tool named ${name} (it lists ${tools.map((t) => t.name).join(', ') || 'none'})`);
  return tool;
}

async function callAndShow(client: McpClient, name: string, args?: Record<string, unknown>): Promise<void> {
  const result = await client.callTool(name, args, { timeoutMs: REQUEST_TIMEOUT_MS });
  say(`${name} answered${result.isError ? ' (isError)' : ''}: ${JSON.stringify(result.content).slice(0, 300)}`);
  if (result.isError) throw new Error(`tool ${name} failed`);
}

/** The scenarios with steps of their own; anything else uses {@link listOnly}. */
const SCENARIOS: Record<string, Scenario> = {
  // The handshake is the test (the mock declares no capabilities); a ping shows the session works.
  initialize: { run: async (client) => { await client.ping({ timeoutMs: REQUEST_TIMEOUT_MS }); } },
  tools_call: {
    async run(client) {
      await toolNamed(client, 'add_numbers');
      await callAndShow(client, 'add_numbers', { a: 5, b: 3 });
    },
  },
  // SEP-1034: accept without filling anything in; the client applies the schema's defaults.
  'elicitation-sep1034-client-defaults': {
    options: {
      onElicit: (params) => {
        say(`elicitation: ${params.message}`);
        return { action: 'accept', content: {} };
      },
      elicitation: { applyDefaults: true },
    },
    async run(client) {
      await toolNamed(client, 'test_client_elicitation_defaults');
      await callAndShow(client, 'test_client_elicitation_defaults', {});
    },
  },
  // SEP-1699: the response stream is closed early; the transport waits the server's `retry` and resumes.
  'sse-retry': {
    async run(client) {
      await toolNamed(client, 'test_reconnection');
      await callAndShow(client, 'test_reconnection', {});
    },
  },
  // SEP-1613: the tool's inputSchema, as listed, goes back verbatim.
  'json-schema-2020-12-preservation': {
    async run(client) {
      const tool = await toolNamed(client, 'json_schema_2020_12_tool');
      await toolNamed(client, 'json_schema_echo');
      await callAndShow(client, 'json_schema_echo', { schema: tool.inputSchema });
    },
  },
};

/** Any other scenario: list the tools when the server has some, else ping. */
const listOnly: Scenario = {
  async run(client) {
    if (client.serverCapabilities?.tools) await client.listTools({ timeoutMs: REQUEST_TIMEOUT_MS });
    else await client.ping({ timeoutMs: REQUEST_TIMEOUT_MS });
  },
};

async function play(url: string, scenarioName: string, version: string): Promise<void> {
  const scenario = SCENARIOS[scenarioName] ?? listOnly;
  if (!SCENARIOS[scenarioName]) say(`no steps of its own for scenario ${JSON.stringify(scenarioName)}: connecting and listing tools (or pinging)`);
  const transport = createHttpClientTransport({ url });
  const client = createClient({ name: 'mcpwire-conformance-client', version: '0.1.0' }, {
    ...scenario.options,
    protocolVersion: version,
    // A refused optional GET stream and similar are not failures of the scenario: show them.
    onError: (error) => say(`note: ${error.message}`),
  });
  try {
    await client.connect(transport, { timeoutMs: REQUEST_TIMEOUT_MS });
    say(`connected: protocol ${client.protocolVersion}, server ${client.serverInfo?.name ?? '?'}`);
    await scenario.run(client);
  } finally {
    await client.close();
  }
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
    if (eraOf(version) === 'modern' || !isSupportedVersion(version)) {
      say(`protocol ${version} is not supported by this client yet (stateful revisions up to ${LATEST_PROTOCOL_VERSION} are)`);
    } else {
      await play(url, scenario, version);
      say(`scenario ${scenario}: done`);
      code = 0;
    }
  } catch (error) {
    const status = error instanceof HttpError ? error.status : undefined;
    const why = status === 401 || status === 403 ? ' (authorization is not supported by this client yet)' : '';
    say(`scenario ${scenario} failed${why}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const exitLog = process.env.CONFORMANCE_EXIT_LOG;
  if (exitLog) appendFileSync(exitLog, `${scenario} ${code}\n`);
  return code;
}
