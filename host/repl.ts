/**
 * The interactive host: connect, offer to resume what an earlier run left in flight, then
 * read commands while calls run in the background. Ctrl+C asks whether to detach or cancel
 * the calls being watched; a second Ctrl+C detaches (a piped script: SIGINT leaves). Leaving with calls still running keeps
 * their session on the server, so the next start resumes them.
 */
import type { HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import type { Host, ToolEntry } from './host.ts';
import { HELP, parseCommand } from './commands.ts';
import { describeEntry } from './call-args.ts';
import { elapsedText } from './progress-view.ts';
import { createReplCommands } from './repl-commands.ts';
import { againText, describeUnfinished, readOnlyToolsOf } from './plan-resume.ts';
import { planKeptLine } from './repl-plans.ts';
import { createDetachWords } from './detach-words.ts';
import type { PlanRecord } from './plan-journal.ts';

export interface ReplOptions {
  /** Lines printed first (the demo's banner). */
  banner?: string[];
  /** Resume stored calls without asking (--yes). */
  yes: boolean;
  /** Piped lines are a script (`--input script`): a tool call holds the lines after it until it ends. */
  script?: boolean;
  /** The server stops when the host leaves (the demo): calls resume on the next start, not meanwhile. */
  serverStopsWithHost?: boolean;
  /** How long the first screen waits for every server. Default {@link DEFAULT_STARTUP_WAIT_MS}. */
  startupWaitMs?: number;
}

/**
 * The first screen waits this long for every server, then goes on with those that answered:
 * a server that takes the connection but never answers held it for the connect timeout (15 s).
 * A late one is named, and brought in with a line when it answers (or named when it gives up).
 */
export const DEFAULT_STARTUP_WAIT_MS = 5_000;

/** Run until `quit`, end of input or SIGTERM; resolves the exit code. */
export function runRepl(host: Host, options: ReplOptions): Promise<number> {
  const { term } = host;
  const paint = term.paint;
  let finish!: (code: number) => void;
  const finished = new Promise<number>((r) => { finish = r; });
  let leaving = false;
  let interruptQuestion: AbortController | undefined;
  let lastIdleInterrupt = 0;
  /** Tools the servers mark read-only, as the start-up found them: leaving says which plan steps run again. */
  const readOnlyTools = new Set<string>();

  const { resumable, notKept, detachedLine, detachMeans } = createDetachWords(host);
  const watched = () => host.output.calls.filter((c) => c.status === 'running' && c.attached);

  /**
   * Leave; `code` is the exit code (130 for a script interrupted by SIGINT, as a shell's). A
   * script that ran to its end exits 1 when a line of it failed: a command refused, a call that
   * failed or whose tool reported an error, a plan with a step not done (`--exec`'s 1).
   */
  async function leave(ask: boolean, code = 0): Promise<void> {
    if (leaving) return;
    leaving = true;
    let exit = code;
    try {
      await sayGoodbye(ask);
    } catch (error) {
      // The run ends whatever failed on the way out: a throw here used to skip finish(), and
      // the host stayed after "Goodbye" (quit's own catch printed the error, nobody resolved).
      exit = code === 0 ? 1 : code;
      term.print(paint.red(`✗ while leaving: ${(error as Error).message}`));
    }
    try {
      term.close();
    } finally {
      finish(exit === 0 && options.script && scriptFailed() ? 1 : exit);
    }
  }

  /** Detach or cancel what runs (asking when `ask`), stop the host, say goodbye. */
  async function sayGoodbye(ask: boolean): Promise<void> {
    const running = watched();
    if (ask && running.length > 0) {
      const names = running.map((c) => host.output.label(c)).join(', ');
      // Calls that end while the question waits leave nothing to decide: it is withdrawn.
      const allEnded = new AbortController();
      void Promise.all(running.map((c) => c.done)).then(() => allEnded.abort());
      for (;;) {
        const lost = running.filter((c) => notKept(c) !== undefined);
        // A call no later run can resume is cancelled by leaving, detached or not: said here.
        const keep = lost.length === running.length ? `not resumable next time: ${notKept(running[0]!)}; leaving cancels ${running.length === 1 ? 'it' : 'them'}`
          : `${options.serverStopsWithHost ? 'the server stops with the demo; it resumes when you start again' : 'it goes on; resume it next time'}${lost.length > 0 ? `; leaving cancels ${lost.map((c) => `#${c.n}`).join(', ')}, not resumable` : ''}`;
        const answer = await term.ask(`${names} still running: [d]etach (${keep}) or [c]ancel? `, { signal: allEnded.signal });
        if (answer === undefined && allEnded.signal.aborted) break;
        const a = answer?.trim().toLowerCase();
        if (a === undefined || a === 'd' || a === 'detach') break;
        if (a === 'c' || a === 'cancel') {
          for (const c of running) c.controller.abort();
          await Promise.all(running.map((c) => c.done));
          break;
        }
        term.print('  ✗ type d or c');
      }
    }
    const unresumable: HostCall[] = [];
    const endsWithHost: HostCall[] = [];
    for (const c of host.output.calls) {
      if (c.status !== 'running') continue;
      host.output.detach(c);
      // A stdio server is this process's child: it ends with the host, and its calls with it.
      if (c.conn.spec.kind === 'stdio') {
        endsWithHost.push(c);
        term.print(`${host.output.label(c)} runs on a stdio server, which ends with the host; it cannot be resumed`);
      } else if (!resumable(c)) {
        // Detached, it would go on unseen and be lost: nothing lets a later run find it. A plan's
        // step is the plan's to run again (plan-resume.ts: only where that is safe), not the person's.
        const next = host.history.byNumber(c.n)?.plan ? 'the plan\'s next start runs its step again where that is safe' : 'run it again next time';
        term.print(paint.yellow(`⊘ ${host.output.label(c)} cancelled on leaving: it could not be resumed later (${notKept(c)}); ${next}`));
        c.endNote = 'cancelled on leaving: it could not be resumed later';
        c.controller.abort();
        unresumable.push(c);
      }
    }
    await Promise.all(unresumable.map((c) => c.done));
    // The plan is on record (plan-journal.ts): the next start offers to finish it.
    for (const goal of commands.runningPlans()) {
      // Its calls cancelled just above, or ending with their stdio server, do not go on: the
      // next start decides which run again (it said "its calls in flight go on" of a stdio one).
      const ofPlan = (c: HostCall) => host.history.byNumber(c.n)?.plan?.goal === goal;
      const cancelled = unresumable.filter(ofPlan).map((c) => `#${c.n}`);
      const ending = endsWithHost.filter(ofPlan).map((c) => `#${c.n}`);
      // What the next start does with each such step, as its offer will say it.
      const again = [...unresumable, ...endsWithHost].filter(ofPlan).map((c) => {
        const text = againText(c.tool, readOnlyTools.has(c.tool), 'idempotencyKey' in c.args);
        return `#${c.n}'s step ${text.startsWith('not ') ? 'is ' : ''}${text}`;
      });
      const kept = planKeptLine(cancelled, ending, options.serverStopsWithHost === true, again);
      term.print(paint.yellow(host.plans
        ? `⊘ The plan "${goal}" stops with this run and is kept: ${kept}.`
        : `⊘ The plan "${goal}" ends with this run: its calls in flight are kept for "resume", but its steps not yet started will not run and no combined answer follows.`));
    }
    await host.stop();
    // Tasks on record go on on the server whether or not this run followed them.
    const kept = host.storedCalls().length + host.history.list().filter((r) => r.task !== undefined && (r.status === 'running' || r.status === 'kept')).length;
    const calls = `${kept} call${kept === 1 ? '' : 's'}`;
    term.print(kept === 0 ? '👋 Goodbye!'
      : options.serverStopsWithHost
        ? `👋 Goodbye. ${calls} ${kept === 1 ? 'is' : 'are'} kept: the server stops now, and ${kept === 1 ? 'it resumes' : 'they resume'} when you start again.`
        : `👋 Goodbye. ${calls} go${kept === 1 ? 'es' : ''} on on the server; start the host again to resume ${kept === 1 ? 'it' : 'them'}.`);
  }

  function onInterrupt(): void {
    if (leaving) return;
    // A piped script: nobody can answer the question, and the script's next line must not
    // (it was written for the script's own commands). SIGINT ends the script, as it ends a
    // shell's: the rest is not run, and the host leaves as at the end of input.
    if (options.script) {
      term.print('Interrupted: the rest of the script is not run.');
      void leave(false, 130);
      return;
    }
    if (interruptQuestion) {
      // The second Ctrl+C: detach.
      interruptQuestion.abort();
      interruptQuestion = undefined;
      for (const c of watched()) {
        host.output.detach(c);
        term.print(detachedLine(c));
      }
      return;
    }
    const running = watched();
    // A question with no call watched (a plan's approval, a tool's arguments, the resume
    // offer): Ctrl+C withdraws it, as "no". It used to stay, and only said how to leave.
    if (running.length === 0 && term.withdraw()) return;
    if (running.length === 0) {
      const now = Date.now();
      if (now - lastIdleInterrupt < 3_000) {
        void leave(false);
        return;
      }
      lastIdleInterrupt = now;
      term.print('(Ctrl+C again to leave, or type quit)');
      return;
    }
    const names = running.map((c) => host.output.label(c)).join(', ');
    const question = new AbortController();
    interruptQuestion = question;
    void (async () => {
      for (;;) {
        const answer = await term.ask(`Ctrl+C: ${names}: [d]etach (${detachMeans(running, 'goes on, resumable')}), [c]ancel (the server is told to stop), Enter = keep watching: `, { signal: question.signal, first: true });
        if (question.signal.aborted || answer === undefined) return;
        interruptQuestion = undefined;
        const a = answer.trim().toLowerCase();
        if (a === '') return;
        if (a === 'd' || a === 'detach') {
          for (const c of running) {
            if (c.status !== 'running') continue;
            host.output.detach(c);
            term.print(detachedLine(c));
          }
          return;
        }
        if (a === 'c' || a === 'cancel') {
          for (const c of running) c.controller.abort();
          return;
        }
        interruptQuestion = question;
        term.print('  ✗ type d, c or press Enter');
      }
    })();
  }

  const commands = createReplCommands(host, { leave: () => leave(true), script: options.script === true });
  /** Lines that threw (a wrong command or arguments, a read that failed). */
  let refused = 0;
  /** Whether anything the script asked for failed: its own calls (a plan's count as the plan). */
  const scriptFailed = () => refused > 0 || commands.failures > 0 || term.unreadable > 0
    || host.output.calls.some((c) => !c.quiet && (c.status === 'failed' || (c.status === 'done' && c.result?.isError === true)));

  /** `✓ agents-a: connected to mcpwire-agents 0.1.0 at http://...`, or rejoined. */
  function connectedLine(conn: Connection): string {
    const info = conn.serverInfo;
    const where = conn.spec.kind === 'http' ? conn.spec.url : `${conn.spec.command} (stdio)`;
    const session = conn.sessionId ? `, session ${conn.sessionId.slice(0, 8)}…` : '';
    // With several servers each line names the one it is about: two servers of the same
    // implementation read alike, told apart only by their ports.
    const named = host.connections.length > 1 ? `${conn.name}: ` : '';
    return conn.rejoined
      ? `✓ ${named}${named ? 'r' : 'R'}ejoined the session an earlier run left at ${where}${session}`
      : `✓ ${named}${named ? 'c' : 'C'}onnected to ${info ? `${info.name} ${info.version}` : conn.name} at ${where}${session}`;
  }

  /** A server the first screen went on without answered (or gave up) later. */
  function broughtIn(entry: ToolEntry): void {
    for (const name of readOnlyToolsOf([entry])) readOnlyTools.add(name);
    if (leaving) return;
    if (entry.error) {
      term.print(paint.red(`✗ ${entry.error}`));
      return;
    }
    const count = entry.tools?.length ?? 0;
    term.print(paint.green(`${connectedLine(entry.conn)} (late): ${count} tool${count === 1 ? '' : 's'}; "list" shows them`));
    const kept = host.storedCalls().filter((s) => s.conn === entry.conn).length;
    if (kept > 0) term.print(`An earlier run left ${kept} call${kept === 1 ? '' : 's'} in flight on ${entry.conn.name}: type "resume" to pick ${kept === 1 ? 'it' : 'them'} up.`);
  }

  /**
   * Plans an earlier run did not finish (plan-journal.ts), shown step by step: those the person
   * wants finished (all with --yes). Asked before the resume question, so a resumed call's
   * questions do not come between.
   */
  /**
   * A yes/no question whose Enter means yes: true, false, or undefined when it was withdrawn
   * (Ctrl+C, the input ended). Anything else is asked again, as `Run it?` and the model
   * approval are: a typo ("ys") was read as "no", which drops a left plan for good.
   */
  async function askYes(prompt: string): Promise<boolean | undefined> {
    for (;;) {
      const answer = await term.ask(prompt);
      if (answer === undefined) return undefined;
      const a = answer.trim().toLowerCase();
      if (a === '' || a === 'y' || a === 'yes') return true;
      if (a === 'n' || a === 'no') return false;
      term.print('  ✗ type y or n');
    }
  }

  async function offerLeftPlans(index: ToolEntry[]): Promise<PlanRecord[]> {
    const finish: PlanRecord[] = [];
    for (const record of host.plans?.list() ?? []) {
      for (const line of describeUnfinished(host, record, index)) term.print(line);
      let finishIt = options.yes;
      if (!finishIt) {
        const answer = await askYes('Finish it (steps done are kept, the rest runs, then the combined answer)? [Y/n]: ');
        // No answer (Ctrl+C withdrew the question, or the input ended) is "not now": dropping
        // the plan would lose its steps not yet started for good.
        if (answer === undefined) {
          term.print('The plan stays on record: the next start offers it again.');
          continue;
        }
        finishIt = answer;
      }
      if (finishIt) finish.push(record);
      else {
        await host.plans?.end(record.id);
        term.print(`The plan is dropped; its calls stay in "history"${describeUnfinished(host, record, index).some((l) => l.includes(' · in flight on ')) ? ', and those in flight on record: "resume" picks them up' : ''}.`);
      }
    }
    return finish;
  }

  async function startup(): Promise<void> {
    for (const line of options.banner ?? []) term.print(line);
    const index = await host.toolIndex({ patienceMs: options.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS, onLate: broughtIn });
    for (const name of readOnlyToolsOf(index)) readOnlyTools.add(name);
    for (const entry of index) {
      if (entry.late) term.print(paint.yellow(`… ${entry.error}; going on without it: it is brought in when it answers`));
      else if (entry.error) term.print(paint.red(`✗ ${entry.error}`));
      else term.print(paint.green(connectedLine(entry.conn)));
    }
    // The servers that failed were just named with why (✗ above): the list does not say it again.
    commands.printTools(index.filter((entry) => !entry.error));
    const all = host.storedCalls();
    const waiting = all.filter(({ conn }) => conn.state !== 'ready');
    if (waiting.length > 0) {
      term.print(`${waiting.length} call${waiting.length === 1 ? '' : 's'} an earlier run left ${waiting.length === 1 ? 'is' : 'are'} on record for a server that is not reachable now; type "resume" once it is back.`);
    }
    const ready = all.filter(({ conn }) => conn.state === 'ready');
    // A call of a plan on record is that plan's: its offer lists it ("in flight on ...") and its
    // "Finish it?" answers for it. Asked about again under "Resume ...?", the same calls got two
    // questions (hostwalk10's leftover), and "no" there still resumed them through the plan.
    const leftPlans = new Set((host.plans?.list() ?? []).map((p) => p.id));
    const planOf = (n: number | undefined) => (n !== undefined ? host.history.byNumber(n)?.plan?.id : undefined);
    const ofLeftPlan = ready.filter(({ n }) => { const id = planOf(n); return id !== undefined && leftPlans.has(id); });
    const stored = ready.filter((call) => !ofLeftPlan.includes(call));
    if (stored.length > 0) {
      term.print(`An earlier run left ${stored.length} call${stored.length === 1 ? '' : 's'} in flight:`);
      let ofPlan = false;
      for (const { conn, entry, n } of stored) {
        const plan = n !== undefined ? host.history.byNumber(n)?.plan : undefined;
        if (plan && !host.plans?.list().some((p) => p.id === plan.id)) ofPlan = true;
        const step = plan ? ` (step ${plan.step} of ${plan.steps} of the plan "${plan.goal}")` : '';
        term.print(`  ${n !== undefined ? `#${n} ` : ''}${describeEntry(entry)} on ${conn.name}, started ${elapsedText(Date.now() - entry.startedAt)} ago${step}`);
      }
      // The plan itself is not kept: said, so its other steps are not awaited in vain.
      if (ofPlan) term.print('  A plan lasts as long as the run that made it: resuming finishes its calls above, but its steps that had not started will not run and no combined answer follows ("history" has each call).');
    }
    const plans = await offerLeftPlans(index);
    // The calls of a plan to be finished resume with it, quiet as a new step's call is: its
    // result shown once, in the plan's answer. Those of a plan dropped or kept stay on record.
    const finishing = new Set(plans.map((p) => p.id));
    for (const { conn, entry, n } of ofLeftPlan) {
      if (finishing.has(planOf(n)!)) host.resume(conn, entry, { quiet: true });
    }
    if (stored.length > 0) {
      let resume = options.yes;
      if (!resume) {
        // Anything but yes is "not now" here, not asked again: nothing is lost (the calls stay on
        // record), and a script that did not expect the offer loses one line, not all of them.
        const answer = await term.ask('Resume and show what you missed? [Y/n]: ');
        resume = answer !== undefined && ['', 'y', 'yes'].includes(answer.trim().toLowerCase());
      }
      if (resume) {
        for (const { conn, entry } of stored) host.resume(conn, entry);
      } else {
        term.print('They stay on record: type "resume" to pick them up, or "clean-tokens" to forget them.');
      }
    }
    // After the resume: a plan follows its steps' resumed calls (or resumes them itself).
    for (const record of plans) void commands.finishLeftPlan(record);
    const tasks = await commands.storedTaskLines();
    if (tasks.length > 0) term.print(`${tasks.length === 1 ? 'A task' : `${tasks.length} tasks`} an earlier run started went on on the server:\n${tasks.join('\n')}`);
    // The example is a tool these servers have: the agents' own example elsewhere misled.
    const first = index.find((e) => e.tools && e.tools.length > 0)?.tools?.[0]?.name;
    const example = first === undefined ? '' : first === 'travel_agent' ? ' (e.g. travel_agent destination=Tokyo)' : ` (e.g. ${first})`;
    term.print(paint.dim(`Type "help" for commands, "list" for tools; a tool name runs it${example}.`));
  }

  const ready = startup().catch((error: unknown) => term.print(paint.red(`✗ ${(error as Error).message}`)));
  term.start({
    onLine: async (line) => {
      await ready;
      if (leaving) return;
      // Built-in words need no server; a tool name is checked against a fresh list only when unknown.
      let command = parseCommand(line, commands.knownNames());
      if (command.kind === 'unknown') command = parseCommand(line, await commands.toolNames());
      if (command.kind === 'empty') return;
      try {
        await commands.run(command);
      } catch (error) {
        refused++;
        term.print(paint.red(`✗ ${(error as Error).message}`));
      }
    },
    onInterrupt,
    onEnd: () => { void leave(false); },
  }, ready); // a line typed (or piped) during startup answers its resume question first
  // SIGTERM, or the terminal going away (SIGHUP): leave as on end of input, detaching what runs.
  const onTerm = () => { void leave(false); };
  process.once('SIGTERM', onTerm);
  process.once('SIGHUP', onTerm);
  return finished.finally(() => {
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
  });
}

export { HELP };
