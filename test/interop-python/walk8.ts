/**
 * The eighth peer walk of the optional Python interop run (run.ts): session 32's probes, checked
 * since session 34. (21) The Python SDK's client against test/peer-walk8-server.ts
 * (py_client_walk8.py): a URL-mode question, sampling with a tool offered and its tool result
 * sent back, roots, a structured result, a tool error. (22) Our client against py_server_walk8.py
 * (the Python MCPServer): the same, plus a -32042 error naming a URL step and, in 2025-11-25, the
 * step's completion told on the session. Both eras, stdio and Streamable HTTP. (23) When the
 * python has FastMCP: our client reading its skills provider (fastmcp_server_walk8.py), which
 * serves skills as plain resources (`skill://NAME/SKILL.md`, a `_manifest`, files through the
 * template `skill://NAME/{path*}`): the manifest's sizes and sha256 hashes checked against what
 * is read, a nested file named with a space and non-ASCII letters read percent-encoded and raw.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, urlElicitationsOf, type McpClient } from 'mcpwire/client';
import { freePort, start, stop, type WalkRow } from './processes.ts';
import { pythonRow, stepRunner, text } from './walk-steps.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const OURS = fileURLToPath(new URL('../peer-walk8-server.ts', import.meta.url));
const NODE_TS = ['--conditions=mcpwire-source', '--import', 'tsx'];
const PY_SERVER = here('py_server_walk8.py');
const WALK = 'our client -> Python walk8 server';
const SKILLS_SERVER = here('fastmcp_server_walk8.py');
const SKILLS = 'our client -> FastMCP skills';
const NESTED_TEXT = 'Fields: name, date 𝔘\n';

type Connect = () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>;
type Step = ReturnType<typeof stepRunner>['step'];

/** One row: `client` connected, `walkSteps` run, each failed step (and anything `onError` got) named; the client closed. */
async function clientRow(rows: WalkRow[], walk: string, transport: string, era: string, client: McpClient, errors: string[], connect: Connect, walkSteps: (step: Step) => Promise<void>): Promise<void> {
  const steps = stepRunner();
  try {
    await client.connect(connect());
    await walkSteps(steps.step);
    if (errors.length > 0) steps.failed.push(`onError: ${errors.join(' | ')}`);
    const ok = steps.failed.length === 0;
    rows.push({ walk, transport, era: client.protocolVersion ?? '?', ok, result: ok ? `${steps.count} steps held` : steps.failed.join('; ') });
  } catch (error) {
    rows.push({ walk, transport, era, ok: false, result: (error as Error).message });
  } finally {
    await client.close();
  }
}

/** Our client against the Python walk8 server: each step's outcome checked. */
async function ourClient(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: Connect): Promise<void> {
  const errors: string[] = [];
  const asked: string[] = [];
  const completed: string[] = [];
  const client: McpClient = createClient({ name: 'mcpwire-walk8', version: '1' }, {
    era, eraCache: false,
    onError: (error) => errors.push(error.message),
    elicitation: { modes: ['form', 'url'] },
    onElicit: (p) => { asked.push(JSON.stringify(p)); return { action: 'accept' }; },
    sampling: { tools: true },
    onSample: (p) => {
      asked.push(`sample ${p.messages.length} ${p.tools?.map((t) => t.name).join()} ${p.toolChoice?.mode}`);
      if (p.messages.length === 1) return { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'weather', input: { city: 'Paris' } }], model: 'm', stopReason: 'toolUse' };
      return { role: 'assistant', content: { type: 'text', text: 'It is sunny ☀' }, model: 'm', stopReason: 'endTurn' };
    },
    roots: [{ uri: 'file:///home/é/project', name: 'project' }],
    onElicitationComplete: (id) => completed.push(id),
  });
  const seen = () => { const all = asked.join(' | '); asked.length = 0; return all; };
  await clientRow(rows, WALK, transport, era, client, errors, connect, async (step) => {
    const modern = client.era === 'modern';
    await step('sign_in (URL mode)', async () => {
      const r = await client.callTool('sign_in', {});
      // 2025-11-25: the server's completion notice follows the request; nothing else marks its arrival.
      if (!modern) await client.waitForElicitation('el-1', { timeoutMs: 5000 }).catch(() => undefined);
      return [text(r), seen(), completed.join()];
    }, ([t, a, c]: string[]) => {
      // 2026-07-28 client/elicitation: the URL request is mode, message and url (no elicitationId).
      const want = modern
        ? ['modern sign in: accept', '{"message":"Sign in at the bank","mode":"url","url":"https://bank.example/login?x=é"}', '']
        : ['legacy sign in: accept', '{"mode":"url","message":"Sign in at the bank","url":"https://bank.example/login?x=é","elicitationId":"el-1"}', 'el-1'];
      return JSON.stringify([t, a, c]) === JSON.stringify(want) || JSON.stringify([t, a, c]);
    });
    await step('-32042, finish_login, the call again', async () => {
      const first = await client.callTool('needs_login', {}).then(() => undefined, (e: Error & { code?: unknown }) => [e.code, (urlElicitationsOf(e) ?? []).map((u) => `${u.elicitationId} ${u.url}`).join()]);
      // 2025-11-25 only: finish_login tells the session el-2 is complete.
      const waited = modern ? undefined : client.waitForElicitation('el-2', { timeoutMs: 5000 }).then(() => 'completed', (e: Error) => e.message);
      const finished = text(await client.callTool('finish_login', {}));
      return [first, finished, await waited, text(await client.callTool('needs_login', {}))];
    }, (r) => JSON.stringify(r) === JSON.stringify([[-32042, 'el-2 https://bank.example/oauth'], 'finished', modern ? undefined : 'completed', 'logged in']) || JSON.stringify(r));
    await step('sampling with a tool', async () => [text(await client.callTool('plan', {})), seen()], ([t, a]: string[]) => (modern
      ? t!.startsWith("modern plan: {'role': 'assistant', 'content': [{'type': 'tool_use', 'name': 'weather', 'id': 'u1', 'input': {'city': 'Paris'}}]") && a === 'sample 1 weather required'
      : t === "legacy plan: weather({'city': 'Paris'}) -> It is sunny ☀ [endTurn]" && a === 'sample 1 weather required | sample 3 weather undefined') || `${t} / ${a}`);
    // pydantic's URL type percent-encodes the é (bench/README session 32, the peers' side).
    await step('roots', async () => text(await client.callTool('roots', {})), (t) => t === `${modern ? 'modern' : 'legacy'} roots: file:///home/%C3%A9/project` || t);
    await step('structured result', async () => (await client.callTool('forecast', { city: 'Zürich' })).structuredContent,
      (s) => JSON.stringify(s) === '{"city":"Zürich","degrees":21.5}' || JSON.stringify(s));
    await step('tool error', async () => { const r = await client.callTool('broken', {}); return [r.isError, text(r)]; },
      (r) => JSON.stringify(r) === '[true,"Error executing tool broken"]' || JSON.stringify(r));
  });
}

/** The bytes of a resource's first content: its text as UTF-8, or its blob decoded. */
function bytesOf(contents: Array<{ text?: string; blob?: string }>): Buffer {
  const first = contents[0];
  return first?.blob !== undefined ? Buffer.from(first.blob, 'base64') : Buffer.from(first?.text ?? '', 'utf8');
}

/** Our client against FastMCP's skills provider: what is listed, read, and refused. */
async function skillsRow(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: Connect): Promise<void> {
  const errors: string[] = [];
  const client: McpClient = createClient({ name: 'mcpwire-walk8-skills', version: '1' }, { era, eraCache: false, onError: (error) => errors.push(error.message) });
  const read = async (uri: string) => (await client.readResource(uri)).contents as Array<{ text?: string; blob?: string; mimeType?: string }>;
  await clientRow(rows, SKILLS, transport, era, client, errors, connect, async (step) => {
    await step('resources and the template', async () => [(await client.listResources()).map((r) => `${r.uri} ${r.mimeType}`), (await client.listResourceTemplates()).map((t) => t.uriTemplate)],
      (r) => JSON.stringify(r) === JSON.stringify([['skill://pdf-forms/SKILL.md text/markdown', 'skill://pdf-forms/_manifest application/json'], ['skill://pdf-forms/{path*}']]) || JSON.stringify(r));
    await step('SKILL.md', () => read('skill://pdf-forms/SKILL.md'), (c) => String(c[0]?.text).startsWith('---\nname: pdf-forms\ndescription: Fill PDF forms é\n') || JSON.stringify(c));
    // Every file the manifest names, read through the template, has the size and sha256 it lists.
    await step('the manifest against the files', async () => {
      const manifest = JSON.parse(String((await read('skill://pdf-forms/_manifest'))[0]?.text)) as { files: Array<{ path: string; size: number; hash: string }> };
      const wrong: string[] = [];
      for (const file of manifest.files) {
        const bytes = bytesOf(await read(`skill://pdf-forms/${file.path.split('/').map(encodeURIComponent).join('/')}`));
        if (bytes.length !== file.size || `sha256:${createHash('sha256').update(bytes).digest('hex')}` !== file.hash) wrong.push(`${file.path} (${bytes.length} bytes)`);
      }
      return [manifest.files.map((f) => f.path), wrong];
    }, (r) => JSON.stringify(r) === JSON.stringify([['SKILL.md', 'logo.bin', 'references/field guide é.md'], []]) || JSON.stringify(r));
    await step('a nested file, percent-encoded and raw', async () => [(await read('skill://pdf-forms/references/field%20guide%20%C3%A9.md'))[0]?.text, (await read('skill://pdf-forms/references/field guide é.md'))[0]?.text],
      (r) => (r[0] === NESTED_TEXT && r[1] === NESTED_TEXT) || JSON.stringify(r));
    await step('a binary file as a blob', () => read('skill://pdf-forms/logo.bin'), (c) => bytesOf(c).equals(Buffer.from(Array.from({ length: 256 }, (_, i) => i))) || JSON.stringify(c).slice(0, 200));
    // Refused by the peer, passed on as its errors (its codes are its own: bench/README session 32).
    for (const uri of ['skill://pdf-forms/nope.md', 'skill://pdf-forms/../../etc/hostname']) {
      await step(`refused: ${uri}`, () => read(uri).then(() => 'served', (e: Error & { code?: unknown }) => e), (e) => (e instanceof Error && /not found/i.test(e.message)) || String(e));
    }
  });
}

/** `row` over stdio and over HTTP, in both eras, against `script`: a fresh HTTP server per era (needs_login's state is the process's). */
async function ourClientRows(python: string, rows: WalkRow[], script: string, row: (rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: Connect) => Promise<void>): Promise<void> {
  for (const era of ['auto', 'legacy'] as const) {
    await row(rows, 'stdio', era, () => createStdioClientTransport({ command: python, args: [script, 'stdio'], stderr: 'ignore' }));
    const port = await freePort();
    const py = await start(python, [script, 'http', String(port)], /Uvicorn running on/);
    try {
      await row(rows, 'HTTP', era, () => createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
    } finally {
      await stop(py.child);
    }
  }
}

export async function walk8(python: string, rows: WalkRow[], fastmcp = false): Promise<void> {
  // 21. The Python client against our walk8 server.
  const ours = await start(process.execPath, [...NODE_TS, OURS, 'http'], /listening on (http:\S+)/);
  try {
    for (const mode of ['auto', 'legacy'] as const) {
      await pythonRow(rows, 'Python client -> our walk8 server', 'HTTP', python, here('py_client_walk8.py'), [mode, ours.match[1]!], 90_000);
      await pythonRow(rows, 'Python client -> our walk8 server', 'stdio', python, here('py_client_walk8.py'), [mode, '--', process.execPath, ...NODE_TS, OURS, 'stdio'], 90_000);
    }
  } finally {
    await stop(ours.child);
  }
  // 22. Our client against the Python walk8 server; 23. against FastMCP's skills provider.
  await ourClientRows(python, rows, PY_SERVER, ourClient);
  if (fastmcp) await ourClientRows(python, rows, SKILLS_SERVER, skillsRow);
}
