/**
 * `mcpwire host --exec "<command>"`: one command for scripts. Progress, logs and questions go
 * to stderr; the result goes to stdout (one JSON document with `--json`). Exit codes: 0 done,
 * 1 the tool reported an error or the call failed, 2 the command or its arguments are wrong,
 * 3 a server cannot be used (unreachable, no MCP endpoint at the URL, a command that does not
 * start, not an MCP server), 130 interrupted (the call is cancelled on the server).
 */
import { parseCallNumbers, parseCommand, parseInlineArgs, suggest } from './commands.ts';
import { failureKind, explain } from './explain.ts';
import { toolArgumentsHelp } from './fields.ts';
import { promptToolArguments } from './forms.ts';
import { asciiGlyphs } from './glyphs.ts';
import { historyEntry, historyList } from './history-view.ts';
import type { Host } from './host.ts';
import { runPlan } from './plan.ts';
import { renderResult } from './render.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;

export interface ExecOptions {
  json: boolean;
  /** Whether stdin can answer questions (a terminal); otherwise missing arguments are an error. */
  interactive: boolean;
  stdout: NodeJS.WritableStream;
}

type Outcome = { code: number; json: Record<string, unknown>; text?: string };

function failure(code: number, kind: string, message: string): Outcome {
  return { code, json: { ok: false, error: { code: kind, message } } };
}

/** `work`'s result, or undefined as soon as `interrupted` aborts. */
async function untilInterrupted<T>(work: Promise<T>, interrupted: AbortSignal): Promise<T | undefined> {
  if (interrupted.aborted) return undefined;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    interrupted.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    interrupted.removeEventListener('abort', onAbort!);
  }
}

async function execute(host: Host, line: string, options: ExecOptions, interrupted: AbortSignal): Promise<Outcome> {
  // The record needs no server.
  const local = parseCommand(line, []);
  if (local.kind === 'builtin' && local.name === 'history') return history(host, local.rest);
  // A Ctrl+C while the servers are reached (a sign-in may wait minutes on a browser) ends the
  // run: nothing was called yet; leaving closes the sign-ins' listeners (index.ts).
  const index = await untilInterrupted(host.toolIndex(), interrupted);
  if (index === undefined) return failure(EXIT.interrupted, 'interrupted', 'interrupted while reaching the servers; nothing was called');
  const down = index.filter((e) => e.error !== undefined);
  const names = index.flatMap((e) => (e.tools ?? []).flatMap((t) => [t.name, `${t.name}@${e.conn.name}`]));
  const command = parseCommand(line, names);
  if (command.kind === 'builtin' && command.name === 'list') {
    const tools = index.flatMap((e) => (e.tools ?? []).map((t) => ({ server: e.conn.name, name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema })));
    const text = tools.map((t) => `${t.name}\t${t.server}\t${t.title ?? t.description ?? ''}`).join('\n');
    // A list missing a server's tools is not a success: scripts would take "no tools" for an answer.
    if (down.length > 0) {
      const unreachable = failure(EXIT.unreachable, 'unreachable', down.map((e) => e.error).join('; '));
      return { ...unreachable, json: { ...unreachable.json, tools }, ...(tools.length > 0 ? { text } : {}) };
    }
    return { code: EXIT.ok, json: { ok: true, tools }, text };
  }
  if (command.kind === 'builtin' && command.name === 'plan') {
    if (command.rest === '') return failure(EXIT.usage, 'usage', 'plan needs a goal');
    const outcome = await runPlan(host, command.rest, (t) => host.term.print(t), interrupted);
    if (!outcome.approved) return failure(EXIT.failed, 'not_approved', 'the plan has side effects and was not approved (answer "y", or pass --yes)');
    const steps = outcome.steps.map((s) => ({ tool: s.step.tool, arguments: s.step.args, purpose: s.step.purpose, status: s.status, route: s.route, result: s.result, error: s.error }));
    return { code: outcome.ok ? EXIT.ok : EXIT.failed, json: { ok: outcome.ok, plan: { goal: outcome.goal, by: outcome.by, elapsedMs: outcome.elapsedMs, steps }, text: outcome.text }, text: outcome.text };
  }
  const tool = command.kind === 'tool' ? command.tool : command.kind === 'builtin' && command.name === 'call' ? command.rest.split(/\s+/)[0] ?? '' : undefined;
  if (tool === undefined || tool === '') {
    if (command.kind === 'unknown') {
      // `<tool>@<server>` naming no server: said as the prompt says it, before any other reading.
      const at = command.word.lastIndexOf('@');
      const server = command.word.slice(at + 1);
      if (at > 0 && names.includes(command.word.slice(0, at)) && !host.connections.some((c) => c.name === server)) {
        return failure(EXIT.usage, 'server_not_found', `no server is named "${server}"; the servers are ${host.connections.map((c) => c.name).join(', ')}`);
      }
    }
    if (down.length > 0 && command.kind === 'unknown') return failure(EXIT.unreachable, 'unreachable', down.map((e) => e.error).join('; '));
    if (command.kind === 'unknown' && /^[\w.@-]+$/.test(command.word)) {
      // A word that could be a tool name: say so, with the nearest name offered.
      const near = suggest(command.word, names);
      return failure(EXIT.usage, 'tool_not_found', `no server offers a tool "${command.word}"${near ? `; did you mean "${near}"?` : ''} (--exec "list" shows them)`);
    }
    return failure(EXIT.usage, 'usage', `--exec runs a tool, "plan <goal>", "list" or "history"; got "${line}"`);
  }
  const rest = command.kind === 'tool' ? command.rest : command.kind === 'builtin' ? command.rest.slice(tool.length).trim() : '';
  const found = await host.findTool(tool);
  if (!found && down.length > 0) return failure(EXIT.unreachable, 'unreachable', down.map((e) => e.error).join('; '));
  if (!found) {
    const near = suggest(tool, names);
    return failure(EXIT.usage, 'tool_not_found', `no server offers a tool "${tool}"${near ? `; did you mean "${near}"?` : ''} (--exec "list" shows them)`);
  }
  // `<tool> ?` lists the arguments, as at the prompt; "?" is no value to call the tool with.
  if (rest.trim() === '?') {
    const { name, description, inputSchema } = found.tool;
    return { code: EXIT.ok, json: { ok: true, server: found.conn.name, tool: name, description, inputSchema }, text: toolArgumentsHelp(name, inputSchema, description) };
  }
  let args: Record<string, unknown>;
  try {
    const parsed = parseInlineArgs(rest, found.tool.inputSchema);
    args = parsed.args;
    if (parsed.missing.length > 0) {
      if (!options.interactive) return failure(EXIT.usage, 'usage', `${found.tool.name} needs ${parsed.missing.join(', ')} (e.g. ${parsed.missing.map((m) => `${m}=...`).join(' ')})`);
      const schema = { ...found.tool.inputSchema, properties: Object.fromEntries(Object.entries(found.tool.inputSchema.properties ?? {}).filter(([k]) => parsed.missing.includes(k))) };
      const asked = await promptToolArguments({ print: (t) => host.term.print(t), ask: (p) => host.term.ask(p) }, schema, args);
      if (!asked) return failure(EXIT.usage, 'usage', 'arguments not given');
      args = asked;
    }
  } catch (error) {
    return failure(EXIT.usage, 'usage', (error as Error).message);
  }
  const call = host.start(found.conn, found.tool.name, args, { quiet: true, tool: found.tool });
  const onInterrupt = () => call.controller.abort();
  interrupted.addEventListener('abort', onInterrupt, { once: true });
  await call.done;
  interrupted.removeEventListener('abort', onInterrupt);
  const base = {
    server: found.conn.name, era: found.conn.era, protocolVersion: found.conn.protocolVersion,
    tool: found.tool.name, arguments: args, elapsedMs: (call.endedAt ?? Date.now()) - call.startedAt,
  };
  if (call.status === 'done') {
    const result = call.result!;
    return { code: result.isError ? EXIT.failed : EXIT.ok, json: { ok: !result.isError, ...base, result }, text: renderResult(result).replace(/^ {2}/gm, '') };
  }
  if (call.status === 'cancelled') return { code: EXIT.interrupted, json: { ok: false, ...base, error: { code: 'cancelled', message: 'interrupted; the call was cancelled on the server' } } };
  const kind = failureKind(call.error);
  return { code: kind === 'unreachable' ? EXIT.unreachable : EXIT.failed, json: { ok: false, ...base, error: { code: kind, message: explain(call.error, found.conn.name) } } };
}

/** `history` lists every call on record; `history N` gives one, with its result. */
function history(host: Host, rest: string): Outcome {
  let numbers: number[];
  try {
    numbers = parseCallNumbers(rest);
  } catch (error) {
    return failure(EXIT.usage, 'usage', (error as Error).message);
  }
  if (numbers.length === 0) {
    const calls = host.history.list().map(({ answers, ...call }) => ({ ...call, answers: answers.length }));
    return { code: EXIT.ok, json: { ok: true, calls }, text: historyList(host.history.list(), Infinity) };
  }
  const records = numbers.map((n) => host.history.byNumber(n));
  const missing = numbers.filter((_, i) => records[i] === undefined);
  if (missing.length > 0) return failure(EXIT.usage, 'not_found', `there is no call ${missing.map((n) => `#${n}`).join(', ')} on record`);
  return {
    code: EXIT.ok,
    json: { ok: true, calls: records.map((r) => ({ ...r!, answers: r!.answers.length })) },
    text: records.map((r) => historyEntry(r!, { verbose: host.verbose })).join('\n\n'),
  };
}

/** Run one command and resolve the exit code. */
export async function runExec(host: Host, line: string, options: ExecOptions): Promise<number> {
  const interrupted = new AbortController();
  host.term.start({ onLine: () => undefined, onInterrupt: () => interrupted.abort(), onEnd: () => undefined });
  let outcome: Outcome;
  try {
    outcome = await execute(host, line, options, interrupted.signal);
  } catch (error) {
    outcome = failure(failureKind(error) === 'unreachable' ? EXIT.unreachable : EXIT.failed, failureKind(error), (error as Error).message);
  }
  if (interrupted.signal.aborted && outcome.code === EXIT.ok) outcome.code = EXIT.interrupted;
  // An answer line that was not UTF-8 got no answer (terminal.ts): the run did not go as written.
  const unreadable = host.term.unreadable;
  if (outcome.code === EXIT.ok && unreadable > 0) outcome.code = EXIT.failed;
  await host.stop();
  host.term.close();
  // The text is for people, in the terminal's symbols (glyphs.ts); the JSON is data, kept exact.
  const shown = (text: string) => (host.term.ascii ? asciiGlyphs(text) : text);
  if (options.json) options.stdout.write(`${JSON.stringify(outcome.json)}\n`);
  else if (outcome.text !== undefined) options.stdout.write(`${shown(outcome.text)}\n`);
  if (outcome.code !== EXIT.ok) {
    const error = (outcome.json.error as { message?: string } | undefined)?.message
      ?? (unreadable > 0 && outcome.json.ok === true ? `${unreadable === 1 ? 'a line of the answers was' : `${unreadable} lines of the answers were`} not UTF-8, so ${unreadable === 1 ? 'it was' : 'they were'} not used (see above)` : undefined);
    process.stderr.write(shown(`mcpwire host: ${error ?? 'the tool reported an error'}\n`));
  }
  return outcome.code;
}
