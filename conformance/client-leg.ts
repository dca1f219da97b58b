/**
 * The client leg of the official conformance suite (`@modelcontextprotocol/conformance`,
 * client mode): one scenario's steps, played by mcpwire's own client. `mcpwire
 * conformance-client` wraps it; the suite starts a mock server per scenario and launches
 * that command with the scenario in the environment.
 */
import { createClient, createHttpClientTransport, type ClientOptions, type McpClient } from 'mcpwire/client';
import type { Tool } from 'mcpwire/protocol';
import type { HttpClientAuth } from 'mcpwire/client';

/** How long one request may take; run-client.ts has the suite kill the client after 90 s. */
const REQUEST_TIMEOUT_MS = 60_000;

/** One scenario: what the client declares, and the steps it takes once connected. */
interface Scenario {
  options?: ClientOptions;
  /** `context`: MCP_CONFORMANCE_CONTEXT, when the suite gave one. */
  run(client: McpClient, context?: Record<string, unknown>): Promise<void>;
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
  // The mock answers tools/call with 403 insufficient_scope: the OAuth client steps up.
  'auth/scope-step-up': {
    async run(client) {
      const [first] = await client.listTools({ timeoutMs: REQUEST_TIMEOUT_MS });
      if (!first) throw new Error('the server lists no tool to call');
      await callAndShow(client, first.name, {});
    },
  },
};

/** Call `name` with `args`, showing the answer; an isError result is shown, not thrown. */
async function callQuietly(client: McpClient, name: string, args: Record<string, unknown> = {}): Promise<void> {
  const result = await client.callTool(name, args, { timeoutMs: REQUEST_TIMEOUT_MS });
  say(`${name} answered${result.isError ? ' (isError)' : ''}: ${JSON.stringify(result.content).slice(0, 200)}`);
}

/** The 2026-07-28 scenarios whose steps differ from the 2025 ones (or are new). */
const MODERN_SCENARIOS: Record<string, Scenario> = {
  // SEP-2322: each tool answers input_required first; the retries carry the answers.
  'sep-2322-client-request-state': {
    options: { onElicit: (params) => { say(`elicitation: ${params.message}`); return { action: 'accept', content: { confirmed: true } }; } },
    async run(client) {
      await client.listTools({ timeoutMs: REQUEST_TIMEOUT_MS });
      for (const name of ['test_mrtr_echo_state', 'test_mrtr_no_state', 'test_mrtr_unrelated', 'test_mrtr_no_result_type']) await callQuietly(client, name);
    },
  },
  // SEP-2243: one request of each kind that carries Mcp-Method / Mcp-Name.
  'http-standard-headers': {
    async run(client) {
      const timeoutMs = REQUEST_TIMEOUT_MS;
      for (const tool of await client.listTools({ timeoutMs })) await callQuietly(client, tool.name);
      const [resource] = await client.listResources({ timeoutMs });
      if (resource) await client.readResource(resource.uri, { timeoutMs });
      const [prompt] = await client.listPrompts({ timeoutMs });
      if (prompt) await client.getPrompt(prompt.name, undefined, { timeoutMs });
    },
  },
  // SEP-2243: exactly the calls the context names; x-mcp-header arguments go into Mcp-Param-*.
  'http-custom-headers': {
    async run(client, context) {
      await client.listTools({ timeoutMs: REQUEST_TIMEOUT_MS });
      const calls = (context?.toolCalls ?? []) as Array<{ name: string; arguments?: Record<string, unknown> }>;
      for (const call of calls) await callQuietly(client, call.name, call.arguments ?? {});
    },
  },
  // SEP-2243: the tools with invalid marks are dropped by listTools; call what is left.
  'http-invalid-tool-headers': {
    async run(client) {
      for (const tool of await client.listTools({ timeoutMs: REQUEST_TIMEOUT_MS })) await callQuietly(client, tool.name, { region: 'us-east1' });
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

/**
 * Play one scenario of the official suite's client mode against the mock server at `url`,
 * speaking protocol `version` (2026-07-28: the stateless era, pinned), with `auth` for the
 * auth/* scenarios. Resolves when the scenario's steps succeeded.
 */
export async function playClientScenario(url: string, scenarioName: string, version: string, context?: Record<string, unknown>, auth?: HttpClientAuth): Promise<void> {
  const own = (version >= '2026-07-28' ? MODERN_SCENARIOS[scenarioName] : undefined) ?? SCENARIOS[scenarioName];
  const scenario = own ?? listOnly;
  if (!own) say(`no steps of its own for scenario ${JSON.stringify(scenarioName)}: connecting and listing tools (or pinging)`);
  const transport = createHttpClientTransport({ url, ...(auth ? { auth } : {}) });
  const client = createClient({ name: 'mcpwire-conformance-client', version: '0.1.0' }, {
    ...scenario.options,
    protocolVersion: version,
    // A refused optional GET stream and similar are not failures of the scenario: show them.
    onError: (error) => say(`note: ${error.message}`),
  });
  try {
    await client.connect(transport, { timeoutMs: REQUEST_TIMEOUT_MS });
    say(`connected: protocol ${client.protocolVersion}, server ${client.serverInfo?.name ?? '?'}`);
    await scenario.run(client, context);
  } finally {
    await client.close();
  }
}

