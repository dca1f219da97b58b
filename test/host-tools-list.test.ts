// `list` in the host's REPL: each tool's label starts in the same column, whatever characters
// its name holds. Names were padded by UTF-16 length: a name with an astral character (𝔘, two
// code units, one column) or a combining accent (e + U+0301, two code points, one column) left
// its label one column short per such character (seen with a FastMCP server's tool `écho_𝔘`).
// `help WORD`: one command's entry, or a tool's arguments; it printed the whole help. `read`
// of a word that is no URI says so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createConnection } from '../host/connection.ts';
import { createReplCommands } from '../host/repl-commands.ts';
import { scriptedTerminal } from './scripted-terminal.ts';
import type { Host, ToolEntry } from '../host/host.ts';

const test = suite('host list and help: what they print');

test('names with astral and combining characters pad to the same column as ASCII ones', () => {
  const { term, printed } = scriptedTerminal();
  const host = { term, output: { write() {} }, connections: [{ name: 'fm' }] } as unknown as Host;
  const repl = createReplCommands(host, { leave: async () => {}, script: true });
  const tools = ['logs', 'écho_𝔘', 'e\u0301t\u0301e\u0301', '😀x'].map((name) => ({ name, title: `T-${name}`, inputSchema: { type: 'object' } }));
  repl.printTools([{ conn: { name: 'fm' }, tools } as unknown as ToolEntry]);
  const lines = printed.join('\n').split('\n').filter((l) => l.includes('T-'));
  assert.is(lines.length, 4, printed.join('\n'));
  // Columns before the label: a combining mark takes none, the emoji two, any other code point one.
  const column = (line: string) => [...line.slice(0, line.indexOf('T-'))].reduce((w, ch) => w + (/\p{M}/u.test(ch) ? 0 : ch === '😀' ? 2 : 1), 0);
  assert.equal(lines.map(column), [19, 19, 19, 19], lines.join('\n'));
});

// `help travel_agent` printed the whole help; `help nosuch` too, without a word.
test('help with a word: a command\'s entry, a tool\'s arguments, or what there is', async () => {
  const { term, printed } = scriptedTerminal();
  const travel = { name: 'travel_agent', description: 'Books a trip.', inputSchema: { type: 'object', properties: { destination: { type: 'string' } }, required: ['destination'] } };
  const conn = { name: 'agents' };
  const host = {
    term, output: { write() {} }, connections: [conn],
    findTool: async (word: string) => (word === 'travel_agent' ? { conn, tool: travel } : undefined),
    toolIndex: async () => [{ conn, tools: [travel] }],
  } as unknown as Host;
  const repl = createReplCommands(host, { leave: async () => {}, script: true });
  await repl.run({ kind: 'builtin', name: 'help', rest: 'r' });
  assert.match(printed.join('\n'), /resume \| r \[#n \.\.\.\] +watch detached calls again/);
  assert.not.match(printed.join('\n'), /detach \[#n\]/);
  printed.length = 0;
  await repl.run({ kind: 'builtin', name: 'help', rest: 'travel_agent' });
  assert.match(printed.join('\n'), /destination/);
  assert.not.match(printed.join('\n'), /Commands/);
  // `read foo` went to every server, and came back "Resource not found".
  const notUri = await repl.run({ kind: 'builtin', name: 'read', rest: 'foo' }).then(() => undefined, (e: Error) => e.message);
  assert.is(notUri, '"foo" is not a URI (it has no scheme, as agents://bookings/... has); a result\'s ↗ lines are its links');
  const error = await repl.run({ kind: 'builtin', name: 'help', rest: 'travel-agent' }).then(() => undefined, (e: Error) => e.message);
  assert.match(error ?? '(none)', /no command or tool is named "travel-agent" \(did you mean "travel_agent"\?\); "help" lists the commands, "list" the tools/);
});

// `servers` said "2025-11-25 (sessions)" of a stdio server (hostwalk16's walk): its calls end
// with its process and cannot be resumed.
test('servers: a stdio server is not said to have sessions; an HTTP one with a session is', async () => {
  const { term, printed } = scriptedTerminal();
  const base = { state: 'ready', era: 'legacy', protocolVersion: '2025-11-25', serverInfo: { name: 'agents', version: '1' } };
  const host = {
    term, output: { write() {} },
    connections: [{ ...base, name: 'local', spec: { kind: 'stdio' } }, { ...base, name: 'remote', spec: { kind: 'http' }, sessionId: 'abcdefgh12' }],
  } as unknown as Host;
  await createReplCommands(host, { leave: async () => {}, script: true }).run({ kind: 'builtin', name: 'servers', rest: '' });
  const text = printed.join('\n');
  assert.match(text, /  local: ready \(agents 1\), 2025-11-25 \(stdio: calls end with its process, they cannot be resumed\)/, text);
  assert.match(text, /  remote: ready \(agents 1\), 2025-11-25 \(sessions\)/, text);
});

// hostwalk16's leftover: a server that could not be reached at the start was said why once,
// then `servers` and `status` said only "nine: unreachable"; the reason was not kept.
test('servers and status say why a server is unreachable, as the start did', async () => {
  const noop = () => undefined;
  const nine = createConnection({
    spec: { name: 'nine', kind: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} },
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 5_000,
    events: { elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, debug: noop, notice: noop },
  });
  try {
    const failed = await nine.ensure().then(() => 'connected', (e: Error) => e.message);
    assert.match(failed, /^cannot reach nine: its port is one that fetch, as browsers do, never connects to; serve it on another port$/);
    const { term, printed } = scriptedTerminal();
    const host = {
      term, connections: [nine], output: { write() {}, calls: [], label: () => '' }, storedCalls: () => [], tasks: { stored: () => [] },
    } as unknown as Host;
    const repl = createReplCommands(host, { leave: async () => {}, script: true });
    await repl.run({ kind: 'builtin', name: 'servers', rest: '' });
    await repl.run({ kind: 'builtin', name: 'status', rest: '' });
    const text = printed.join('\n');
    assert.ok(text.includes(`  nine: unreachable (${failed})`), text);
    assert.ok(text.includes(`  server nine: unreachable (${failed})`), text);
  } finally {
    await nine.close(false);
  }
});

// hostwalk18's leftover: the list showed `(destination*, ..., budget, idempotencyKey)`, `help
// travel_agent` listed the key as one more argument to type, and `travel_agent` with no
// arguments asked for it field by field: the host adds one to each call itself.
test('the idempotency key is the host\'s: left out of the list, said so in help, never asked', async () => {
  const { term, printed, asked, nextAsk } = scriptedTerminal();
  const travel = {
    name: 'travel_agent', title: 'Travel agent', description: 'Books a trip.',
    inputSchema: { type: 'object', properties: { destination: { type: 'string' }, idempotencyKey: { type: 'string', description: 'Names this booking.' } }, required: ['destination', 'idempotencyKey'] },
  };
  const conn = { name: 'agents' };
  const sent: Array<Record<string, unknown>> = [];
  const host = {
    term, output: { write() {} }, connections: [conn],
    findTool: async () => ({ conn, tool: travel }),
    toolIndex: async () => [{ conn, tools: [travel] }],
    start: (_conn: unknown, _tool: string, args: Record<string, unknown>) => { sent.push(args); throw new Error('not run here'); },
  } as unknown as Host;
  const repl = createReplCommands(host, { leave: async () => {}, script: true });
  repl.printTools([{ conn, tools: [travel] } as unknown as ToolEntry]);
  assert.match(printed.join('\n'), /travel_agent +Travel agent {2}\(destination\*\)$/m, printed.join('\n'));
  printed.length = 0;
  await repl.run({ kind: 'builtin', name: 'help', rest: 'travel_agent' });
  const help = printed.join('\n');
  assert.match(help, /\n {2}idempotencyKey \(text\) \[the host adds one to each call; give one only to name the operation yourself\] — Names this booking\.\n/, help);
  assert.match(help, /\ne\.g\. travel_agent destination=\.\.\.$/, help);
  printed.length = 0;
  const ran = repl.run({ kind: 'tool', tool: 'travel_agent', rest: '' }).catch((e: Error) => e.message);
  await nextAsk(1);
  asked[0]!.answer('Lisbon');
  assert.is(await ran, 'not run here');
  assert.is(asked.length, 1, asked.map((a) => a.prompt).join(' | '));
  assert.equal(sent, [{ destination: 'Lisbon' }], 'the key is added later, where the call is sent (call-resend.ts)');
  assert.not.match(printed.join('\n'), /idempotencyKey/, printed.join('\n'));
  await repl.run({ kind: 'tool', tool: 'travel_agent', rest: 'Rome' }).catch(() => undefined);
  assert.equal(sent[1], { destination: 'Rome' }, 'a schema that requires the key: not said to be missing');
});

test.run();
