/**
 * What each REPL command does. Commands return once their work is under way: a tool call or
 * a plan runs in the background and reports as it goes (plans: repl-plans.ts).
 */
import { displayWidth, wrapText } from './wrap.ts';
import { BUILTINS, HELP, helpFor, parseCallNumbers, parseInlineArgs, suggest, type Command } from './commands.ts';
import { hostFills } from './call-args.ts';
import { withServer } from './explain.ts';
import { fieldsFromSchema, toolArgumentsHelp } from './fields.ts';
import { promptToolArguments } from './forms.ts';
import type { HostCall } from './calls.ts';
import type { Host, ToolEntry } from './host.ts';
import { historyEntry, historyList } from './history-view.ts';
import type { PlanRecord } from './plan-journal.ts';
import { createReplPlans } from './repl-plans.ts';
import { renderBlock } from './render.ts';
import { createReplStatus } from './repl-status.ts';
import type { StoredTask } from './host-tasks.ts';
import type { Tool } from 'mcpwire/protocol';

export interface ReplCommands {
  run(command: Command): Promise<void>;
  /**
   * Commands of this run that did not do what they asked without throwing: a tool whose
   * arguments were not all given, a plan that ran and did not get every step done (a script's
   * exit status counts them).
   */
  readonly failures: number;
  /** Names a line may start with: every tool, and `tool@server`. */
  toolNames(): Promise<string[]>;
  /** The names found last time, without asking the servers. */
  knownNames(): string[];
  printTools(index: ToolEntry[]): void;
  /** The tasks on record, polled now, one status line each (none: empty). */
  storedTaskLines(): Promise<string[]>;
  /** The goals of the plans running now (leaving says what becomes of them). */
  runningPlans(): string[];
  /** Finish a plan an earlier run left (plan-resume.ts), in the background as `plan` runs. */
  finishLeftPlan(record: PlanRecord): Promise<void>;
}

/** Resolves when `call` ends or is detached (Ctrl+C, d): a script goes on then. */
function endedOrDetached(call: HostCall): Promise<void> {
  const detached = call.attention.signal;
  if (!call.attached || detached.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onDetach = () => resolve();
    detached.addEventListener('abort', onDetach, { once: true });
    void call.done.then(() => {
      detached.removeEventListener('abort', onDetach);
      resolve();
    });
  });
}

export function createReplCommands(host: Host, hooks: { leave(): Promise<void>; script: boolean }): ReplCommands {
  const { term, output } = host;
  const paint = term.paint;
  let names: string[] = [];
  const plans = createReplPlans(host, hooks.script);
  let notStarted = 0;
  const report = createReplStatus(host);

  async function toolNames(): Promise<string[]> {
    const index = await host.toolIndex();
    const out = new Set<string>();
    for (const e of index) for (const t of e.tools ?? []) {
      out.add(t.name);
      // Also with one server: help offers `<tool>@<server>`, and it was "Unknown command".
      out.add(`${t.name}@${e.conn.name}`);
    }
    names = [...out];
    return names;
  }

  function printTools(index: ToolEntry[]): void {
    const lines: string[] = [];
    names = index.flatMap((e) => (e.tools ?? []).flatMap((t) => [t.name, `${t.name}@${e.conn.name}`]));
    for (const entry of index) {
      const where = host.connections.length > 1 ? ` on ${entry.conn.name}` : '';
      if (!entry.tools) {
        lines.push(`Tools${where}: unavailable (${entry.error})`);
        continue;
      }
      lines.push(`Tools${where}:`);
      for (const t of entry.tools) {
        const fields = fieldsFromSchema(t.inputSchema).filter((f) => !hostFills(f.name)).map((f) => (f.required ? `${f.name}*` : f.name));
        // Padded by columns on screen, not UTF-16 units: 𝔘 is two units, e + U+0301 two code points, each one column.
        lines.push(`  ${paint.bold(t.name + ' '.repeat(Math.max(0, 16 - displayWidth(t.name))))} ${shortLabel(t)}${fields.length > 0 ? paint.dim(`  (${fields.join(', ')})`) : ''}`);
      }
    }
    if (lines.length > 0) term.print(lines.join('\n'));
  }

  /** `help <command>` or `help <tool>`: that entry, or the tool's arguments (as `<tool> ?`). */
  async function helpAbout(word: string): Promise<void> {
    const entry = helpFor(word);
    if (entry !== undefined) return term.print(wrapText(entry, term.columns).join('\n'));
    const found = await host.findTool(word);
    if (found) return term.print(toolArgumentsHelp(found.tool.name, found.tool.inputSchema, found.tool.description));
    const known = await toolNames();
    const like = suggest(word, [...known.filter((n) => !n.includes('@')), ...Object.keys(BUILTINS).filter((w) => w.length > 2)]);
    throw new Error(`no command or tool is named "${word}"${like ? ` (did you mean "${like}"?)` : ''}; "help" lists the commands, "list" the tools`);
  }

  async function runTool(word: string, rest: string): Promise<void> {
    const found = await host.findTool(word);
    if (!found) throw new Error(`no server offers "${word}" right now; type list`);
    const { conn, tool } = found;
    if (rest.trim() === '?') return term.print(toolArgumentsHelp(tool.name, tool.inputSchema, tool.description));
    let parsed;
    try {
      parsed = parseInlineArgs(rest, tool.inputSchema);
    } catch (error) {
      throw new Error(`${(error as Error).message} (type "${tool.name} ?" for its arguments)`);
    }
    let args = parsed.args;
    const hasFields = fieldsFromSchema(tool.inputSchema).length > 0;
    // No arguments at all: ask every field; some given: ask only the required ones missing.
    if ((rest.trim() === '' && hasFields) || parsed.missing.length > 0) {
      term.print(`${tool.name}: ${rest.trim() === '' ? 'its arguments, one by one (Enter skips an optional one; !cancel gives up)' : `still needs ${parsed.missing.join(', ')}`}`);
      const schema = rest.trim() === '' ? tool.inputSchema
        : { ...tool.inputSchema, properties: Object.fromEntries(Object.entries(tool.inputSchema.properties ?? {}).filter(([k]) => parsed.missing.includes(k))) };
      const asked = await promptToolArguments({ print: (t) => term.print(t), ask: (p) => term.ask(p) }, schema, args);
      if (!asked) {
        notStarted++;
        term.print(`${tool.name} not started.`);
        return;
      }
      args = asked;
    }
    const call = host.start(conn, tool.name, args, { tool });
    // A piped script: the lines after the call wait (the terminal holds them while this runs),
    // so they answer its questions in order and the next command sees it done.
    if (hooks.script) await endedOrDetached(call);
  }

  function pick(rest: string, filter: (c: HostCall) => boolean, what: string): HostCall[] {
    const numbers = parseCallNumbers(rest);
    if (numbers.length === 0) return output.calls.filter(filter);
    return numbers.map((n) => {
      const call = output.calls.find((c) => c.n === n);
      if (!call) throw new Error(`there is no call #${n}; type status`);
      if (!filter(call)) throw new Error(`#${n} cannot be ${what} (it is ${call.status}${call.attached ? '' : ', detached'})`);
      return call;
    });
  }

  async function resume(rest: string): Promise<void> {
    const { watching, shown } = resumeNow(rest);
    // The next line comes after the buffered lines are shown (their position saved first, calls.ts).
    await Promise.all(shown);
    // A piped script: the lines after it wait for the calls it watches again, as after a tool call.
    if (hooks.script) await Promise.all(watching.map(endedOrDetached));
  }

  /** Watch again what `resume <rest>` names; the calls now watched, and when their buffers are shown. */
  function resumeNow(rest: string): { watching: HostCall[]; shown: Array<Promise<void>> } {
    const numbers = parseCallNumbers(rest);
    const stored = host.storedCalls();
    const watching: HostCall[] = [];
    const shown: Array<Promise<void>> = [];
    if (numbers.length > 0) {
      // A number names a call of this run, or one an earlier run left on record (numbers are kept across restarts).
      for (const n of numbers) {
        const task = storedTask(n);
        if (task) {
          watching.push(host.resumeTask(task));
          continue;
        }
        const onRecord = stored.find((s) => s.n === n);
        if (onRecord && !output.calls.some((c) => c.n === n && c.status === 'running')) watching.push(host.resume(onRecord.conn, onRecord.entry));
        else {
          for (const c of pick(`#${n}`, (c) => !c.attached, 'resumed')) {
            shown.push(output.attach(c));
            watching.push(c);
          }
        }
      }
      return { watching, shown };
    }
    const detached = output.calls.filter((c) => !c.attached);
    const tasks = host.tasks.stored(host.connections);
    for (const c of detached) shown.push(output.attach(c));
    watching.push(...detached);
    for (const { conn, entry } of stored) watching.push(host.resume(conn, entry));
    for (const task of tasks) watching.push(host.resumeTask(task));
    if (watching.length === 0) term.print('Nothing to resume: no detached calls and none on record.');
    return { watching, shown };
  }

  /** The task on record numbered `n` that no call of this run follows. */
  function storedTask(n: number): StoredTask | undefined {
    return host.tasks.stored(host.connections).find((t) => t.record.n === n);
  }

  /** `cancel #n` of a task on record: `tasks/cancel`, then how it ended. */
  async function cancelStored(task: StoredTask): Promise<void> {
    await host.tasks.cancel(task);
    const status = task.record.task.status;
    term.print(status === 'cancelled' ? `⊘ #${task.record.n} ${task.record.tool}: task ${task.record.task.id} cancelled`
      : `#${task.record.n} ${task.record.tool}: the task had already ended (${status ?? 'unknown'})${status === 'completed' ? `; type "resume ${task.record.n}" for its result` : ''}`);
  }

  async function cleanTokens(): Promise<void> {
    let count = 0;
    for (const conn of host.connections) {
      count += conn.journal.entries().length;
      await conn.journal.clear();
    }
    const running = output.calls.filter((c) => c.status === 'running').length;
    term.print(count > 0
      ? `✓ Resumption tokens cleared (${count} call${count === 1 ? '' : 's'} forgotten)${running > 0 ? `; ${running} running call${running === 1 ? '' : 's'} can no longer be resumed after a restart` : ''}`
      : 'No tokens to clear.');
  }

  async function read(uri: string): Promise<void> {
    if (uri === '') throw new Error('read needs a URI, e.g. read agents://bookings/...');
    // 2025-11-25 server/resources: a resource's URI has a scheme (RFC 3986); "foo" went to every server.
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) throw new Error(`"${uri}" is not a URI (it has no scheme, as agents://bookings/... has); a result's ↗ lines are its links`);
    const problems: string[] = [];
    for (const conn of host.connections) {
      try {
        const result = await conn.readResource(uri);
        term.print(result.contents.map((c) => renderBlock({ type: 'resource', resource: c } as never, 500)).join('\n'));
        return;
      } catch (error) {
        problems.push(withServer(conn.name, (error as Error).message));
      }
    }
    throw new Error(`cannot read ${uri} (${problems.join('; ')})`);
  }

  function showHistory(rest: string): void {
    const numbers = parseCallNumbers(rest);
    if (numbers.length === 0) return term.print(historyList(host.history.list()));
    for (const n of numbers) {
      const record = host.history.byNumber(n);
      if (!record) throw new Error(`there is no call #${n} on record; type history`);
      term.print(historyEntry(record, { verbose: host.verbose }));
    }
  }

  return {
    toolNames,
    knownNames: () => names,
    printTools,
    storedTaskLines: () => report.storedTaskLines(),
    runningPlans: () => plans.running(),
    get failures() { return notStarted + plans.failed; },
    finishLeftPlan: (record) => plans.finishLeftPlan(record),
    async run(command) {
      switch (command.kind) {
        case 'empty':
          return;
        case 'unknown': {
          const at = command.word.lastIndexOf('@');
          const server = command.word.slice(at + 1);
          if (at > 0 && names.includes(command.word.slice(0, at)) && !host.connections.some((c) => c.name === server)) {
            throw new Error(`No server is named "${server}"; the servers are ${host.connections.map((c) => c.name).join(', ')} (type "servers").`);
          }
          const hint = command.suggestion ? ` Did you mean "${command.suggestion}"?` : '';
          const down = host.connections.filter((c) => c.state !== 'ready').map((c) => c.name);
          const why = down.length > 0 ? ` (${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} not connected, so ${down.length === 1 ? 'its' : 'their'} tools are unknown; "list" tries again)` : '';
          throw new Error(`Unknown command: "${command.line}".${hint} Type "help" for commands, "list" for tools.${why}`);
        }
        case 'tool':
          return runTool(command.tool, command.rest);
        case 'builtin':
          break;
      }
      const rest = command.rest;
      switch (command.name) {
        case 'list':
          return printTools(await host.toolIndex());
        case 'help':
          if (rest !== '') return helpAbout(rest.split(/\s/)[0]!);
          term.print(`${wrapText(HELP, term.columns).join('\n')}\nTools: ${names.filter((n) => host.connections.length > 1 || !n.includes('@')).join(', ') || '(none reachable)'}`);
          return;
        case 'status':
          return term.print(await report.status());
        case 'resume':
          return resume(rest);
        case 'detach': {
          const watched = pick(rest, (c) => c.status === 'running' && c.attached, 'detached');
          // It said nothing at all when no call was watched.
          if (watched.length === 0) term.print('No call is being watched; "status" lists the calls.');
          for (const c of watched) {
            output.detach(c);
            term.print(`${output.label(c)} detached; "resume ${c.n}" watches it again.`);
          }
          return;
        }
        case 'cancel': {
          const onRecord = parseCallNumbers(rest).map(storedTask);
          if (onRecord.length > 0 && onRecord.every((t) => t !== undefined)) {
            for (const task of onRecord) await cancelStored(task!);
            return;
          }
          const running = pick(rest, (c) => c.status === 'running', 'cancelled');
          if (running.length === 0) term.print('No call is running.');
          else if (running.length > 1 && rest.trim() === '') term.print(`Several calls run (${running.map((c) => `#${c.n}`).join(', ')}); say which: cancel #${running[0]!.n}`);
          else for (const c of running) c.controller.abort();
          return;
        }
        case 'clean-tokens':
          return cleanTokens();
        case 'plan':
          return plans.plan(rest);
        case 'read':
          return read(rest.trim());
        case 'history':
          return showHistory(rest);
        case 'servers':
          return term.print(report.servers());
        case 'clear':
          return term.clearScreen();
        case 'call': {
          // A bare "call" answered 'no server offers "" right now'.
          if (rest.trim() === '') throw new Error('call needs a tool name, e.g. call travel_agent destination=Tokyo; "list" shows the tools');
          const space = rest.search(/\s/);
          return runTool(space === -1 ? rest : rest.slice(0, space), space === -1 ? '' : rest.slice(space + 1));
        }
        case 'quit':
          return hooks.leave();
      }
    },
  };
}

/**
 * A tool's label in the list: its title (2025-06-18 and later, or the older annotations
 * title), else the first sentence of its description, cut to one short line. Servers that
 * give no title (the official SDKs' low-level servers) showed a bare name.
 */
function shortLabel(t: Tool): string {
  const title = t.title ?? t.annotations?.title;
  if (title) return title;
  const first = (t.description ?? '').trim().split('\n')[0]!.split(/(?<=[.!?])\s/)[0]!;
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}
