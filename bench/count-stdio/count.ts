/**
 * Counting h in instructions (issue #20): where a stdio `tools/call` of the echo tool goes, per
 * function, against the bare newline-JSON echo.
 *
 * `node .bench-build/count-stdio/count.js [--side server|client] [--impl mcpwire,raw]
 * [--warmup 8000] [--calls 2000,6000] [--top 30] [--keep DIR | --from DIR]` (after `npm run
 * build && npx tsc -p tsconfig.bench.json`). For each implementation it runs the counted
 * process twice under `valgrind --tool=callgrind --dump-instr=no`, with `node --single-threaded
 * --perf-basic-prof` (V8's compiler and GC run on the main thread, so they count; JIT code is
 * named from V8's perf map), and prints the difference of the two runs divided by M - N:
 * start-up, warm-up and shutdown cancel out. `--side server` (default): the bench's server
 * process (`server-main --impl X --stdio`), driven from this process as a bare client
 * (handshake, W warm-up calls, then N or M sequential echo calls, each sent when the previous
 * answer arrived). `--side client`: the bench's client process (`client-main X`, workload h)
 * against its own server, which runs natively. Instruction counts do not move with the
 * machine's load; their spread between identical runs comes from when V8 compiles and collects.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { entryScript } from '../paths.ts';
import { nameOf, readCallgrind, readPerfMap } from './profile-files.ts';

const { values } = parseArgs({
  options: {
    impl: { type: 'string', default: 'mcpwire,raw' },
    warmup: { type: 'string', default: '8000' },
    calls: { type: 'string', default: '2000,6000' },
    top: { type: 'string', default: '30' },
    keep: { type: 'string' },
    /** Which process is counted: `server` (driven from here) or `client` (the bench's, against a native server). */
    side: { type: 'string', default: 'server' },
    /** Read the runs kept in this folder by an earlier `--keep` instead of running again. */
    from: { type: 'string' },
    /** Seconds one answer may take under valgrind before the run is abandoned. */
    // The first answer waits for node's start-up under valgrind: minutes on a loaded machine.
    'reply-timeout': { type: 'string', default: '1200' },
  },
});

const impls = values.impl.split(',').filter(Boolean);
const warmup = Number(values.warmup);
const [fewer, more] = values.calls.split(',').map(Number) as [number, number];
const top = Number(values.top);
const replyTimeoutMs = Number(values['reply-timeout']) * 1000;
if (!(more > fewer) || !(fewer >= 0) || !(warmup >= 0)) throw new Error('--calls N,M needs 0 <= N < M; --warmup W needs W >= 0');
const outDir = values.from ?? values.keep ?? mkdtempSync(join(tmpdir(), 'count-stdio-'));
mkdirSync(outDir, { recursive: true });

/** What one implementation's server spends, per function, in one run. */
interface RunCounts {
  total: number;
  self: Map<string, number>;
  object: Map<string, string>;
}

const REQUEST = (id: number) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}\n`;

/** `node` with `args` under callgrind (the process counted), its files named by `tag`. */
function spawnCounted(tag: string, args: string[]) {
  return spawn('valgrind', [
    '--tool=callgrind', '--dump-instr=no', `--callgrind-out-file=${join(outDir, `cg.${tag}.%p`)}`, `--log-file=${join(outDir, `vg.${tag}.log`)}`,
    process.execPath, '--single-threaded', '--perf-basic-prof', '--expose-gc', ...args,
  ], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** One run of `calls` echo calls after the warm-up, counting the server or the client. */
function countRun(impl: string, calls: number): Promise<RunCounts> {
  const tag = `${values.side}-${impl}-${calls}`;
  if (values.from !== undefined) return Promise.resolve(readRun(tag));
  return values.side === 'client' ? countClient(impl, calls, tag) : countServer(impl, calls, tag);
}

/**
 * The bench's own client process (`client-main`, workload h, W warm-up and `calls` timed calls)
 * under callgrind; its server runs natively (valgrind does not follow children). The client
 * keeps a latency a call and sorts them at the end, in both implementations alike.
 */
async function countClient(impl: string, calls: number, tag: string): Promise<RunCounts> {
  const child = spawnCounted(tag, [entryScript('client-main'), impl]);
  child.stdin.on('error', () => {});
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end(`${JSON.stringify({
    impl, workload: 'h', url: '', sizes: { calls, warmup },
    stdio: { command: process.execPath, args: ['--expose-gc', entryScript('server-main'), '--impl', impl, '--stdio'] },
  })}\n`);
  const code = await exit;
  if (code !== 0) throw new Error(`${tag}: the client exited with ${code}: ${out.slice(0, 300)} (see ${join(outDir, `vg.${tag}.log`)})`);
  return readRun(tag);
}

/** One server process under callgrind, driven from here through `calls` echo calls after the warm-up. */
async function countServer(impl: string, calls: number, tag: string): Promise<RunCounts> {
  const child = spawnCounted(tag, [entryScript('server-main'), '--impl', impl, '--stdio']);
  // A server that dies is reported by its exit below, not by a write error here.
  child.stdin.on('error', () => {});
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let buffered = '';
  let exited = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      lines.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
    wake?.();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    exited = true;
    wake?.();
    resolve(code);
  }));
  async function reply(id: number): Promise<void> {
    const deadline = Date.now() + replyTimeoutMs;
    while (lines.length === 0) {
      if (exited) throw new Error(`${tag}: the server exited before answering ${id}`);
      if (Date.now() > deadline) throw new Error(`${tag}: no answer to ${id} in ${replyTimeoutMs} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1_000).unref();
      });
      wake = undefined;
    }
    const line = lines.shift()!;
    if (!line.startsWith('{"') || !line.includes(`"id":${id},`) && !line.includes(`"id":${id}}`)) throw new Error(`${tag}: expected the answer to ${id}, got ${line.slice(0, 200)}`);
  }
  let id = 0;
  try {
    if (impl !== 'raw') {
      child.stdin.write(`{"jsonrpc":"2.0","id":${++id},"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"count-stdio","version":"1"}}}\n`);
      await reply(id);
      child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    }
    for (let i = 0; i < warmup + calls; i++) {
      child.stdin.write(REQUEST(++id));
      await reply(id);
    }
  } catch (error) {
    child.kill(); // no server left running under valgrind after a failed run
    throw error;
  }
  child.stdin.end();
  const code = await exit;
  if (code !== 0) throw new Error(`${tag}: the server exited with ${code} (see ${join(outDir, `vg.${tag}.log`)})`);
  return readRun(tag);
}

/** The counts of one finished run, JIT code named from its perf map (moved next to it). */
function readRun(tag: string): RunCounts {
  const file = readdirSync(outDir).find((name) => name.startsWith(`cg.${tag}.`));
  if (!file) throw new Error(`${tag}: no callgrind output in ${outDir}`);
  const pid = file.slice(`cg.${tag}.`.length);
  const counts = readCallgrind(join(outDir, file));
  const v8Map = join(tmpdir(), `perf-${pid}.map`);
  const keptMap = join(outDir, `perf.${tag}.map`);
  if (values.from === undefined) {
    copyFileSync(v8Map, keptMap);
    rmSync(v8Map, { force: true });
  }
  const jit = readPerfMap(keptMap);
  const self = new Map<string, number>();
  const object = new Map<string, string>();
  for (const [fn, cost] of counts.self) {
    const name = nameOf(fn, jit);
    self.set(name, (self.get(name) ?? 0) + cost);
    object.set(name, name === fn ? shortObject(counts.objectOf.get(fn) ?? '?') : 'JIT');
  }
  return { total: counts.total, self, object };
}

function shortObject(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * V8's hash seed, drawn at start-up by a prime search of random length (millions of
 * instructions that differ between identical runs): no part of a call, so set aside.
 */
const START_UP_NOISE = /HashSeed::|detail::sprp/;

/** Per call: the M-call run minus the N-call run, over M - N; the start-up noise set aside. */
function perCall(a: RunCounts, b: RunCounts): { total: number; noise: number; byName: Map<string, number>; object: Map<string, string> } {
  const byName = new Map<string, number>();
  let noise = 0;
  for (const name of new Set([...a.self.keys(), ...b.self.keys()])) {
    const cost = ((b.self.get(name) ?? 0) - (a.self.get(name) ?? 0)) / (more - fewer);
    if (START_UP_NOISE.test(name)) noise += cost;
    else byName.set(name, cost);
  }
  return { total: (b.total - a.total) / (more - fewer) - noise, noise, byName, object: new Map([...a.object, ...b.object]) };
}

/** Where a function lives, for the summary: a JIT script (by file), or an object file. */
function groupOf(name: string, object: string): string {
  if (object !== 'JIT') return object;
  const file = /(file:\/\/\S+|node:\S+)/.exec(name)?.[1];
  if (!file) return name.startsWith('Builtin:') || name.startsWith('BytecodeHandler:') ? 'V8 builtins (JIT map)' : 'JIT (other)';
  return file.replace(/:\d+(:\d+)?$/, '').replace(/^file:\/\/.*\/(dist|\.bench-build|node_modules)\//, '$1/');
}

const COMPILING = 'compiling and parsing';

/** What kind of work a function is, read from its name (a rough cut, for the summary). */
function kindOf(name: string, object: string): string {
  if (object === 'JIT') return name.startsWith('JS:') ? 'JIT-compiled JS' : 'builtins (interpreter, ICs, stubs)';
  if (object !== 'node') return 'libc and other libraries';
  if (name.startsWith('Builtins_')) return 'builtins (interpreter, ICs, stubs)';
  if (/Json(Parser|Stringifier)/.test(name)) return 'JSON.parse and JSON.stringify';
  if (/v8::internal::(compiler|maglev|baseline)::|Turbofan|Pipeline|Parser|Scanner|AstValue|Compiler|BytecodeGenerator/.test(name)) return COMPILING;
  if (/Heap|Scaveng|MarkCompact|Marking|Sweep|Evacuat|GC|ObjectCache|RootVisitor|Root.*Visitor|Space::|Page::|Remembered|Slot/.test(name)) return 'GC';
  if (name.startsWith('v8::') || name.includes(' v8::')) return 'V8 runtime (C++)';
  return 'node, libuv and the rest of the executable';
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const results = new Map<string, ReturnType<typeof perCall>>();
for (const impl of impls) {
  const [a, b] = await Promise.all([countRun(impl, fewer), countRun(impl, more)]);
  const result = perCall(a, b);
  results.set(impl, result);
  console.log(`\n## ${impl} ${values.side}: ${fmt(result.total)} instructions a call (runs of ${fewer} and ${more} calls after ${warmup} warm-up calls; ${fmt(result.noise)} of V8's hash seed set aside)`);
  const groups = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (const [name, cost] of result.byName) {
    const object = result.object.get(name) ?? '?';
    const group = groupOf(name, object);
    groups.set(group, (groups.get(group) ?? 0) + cost);
    kinds.set(kindOf(name, object), (kinds.get(kindOf(name, object)) ?? 0) + cost);
  }
  console.log('\nby kind:');
  for (const [kind, cost] of [...kinds].sort((x, y) => y[1] - x[1])) console.log(`${fmt(cost).padStart(8)}  ${kind}`);
  // A function V8 compiles late lands in one run's window and not the other's: a one-off cost
  // that moves the total by a thousand or more, so the total without it is shown too.
  console.log(`${fmt(result.total - (kinds.get(COMPILING) ?? 0)).padStart(8)}  total without ${COMPILING}`);
  console.log('\nby where (all):');
  for (const [group, cost] of [...groups].sort((x, y) => y[1] - x[1])) if (Math.abs(cost) >= 0.5) console.log(`${fmt(cost).padStart(8)}  ${group}`);
  console.log('\nby function (self):');
  for (const [name, cost] of [...result.byName].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${fmt(cost).padStart(8)}  ${name.slice(0, 160)}`);
}
if (impls.length === 2) {
  const [first, second] = impls as [string, string];
  const x = results.get(first)!;
  const y = results.get(second)!;
  console.log(`\n## ${first} minus ${second}: ${fmt(x.total - y.total)} instructions a call; functions of both (C++ and builtins), largest differences:`);
  const diffs = [...new Set([...x.byName.keys(), ...y.byName.keys()])]
    .filter((name) => x.object.get(name) !== 'JIT' || y.byName.has(name))
    .map((name) => [name, (x.byName.get(name) ?? 0) - (y.byName.get(name) ?? 0)] as const);
  for (const [name, cost] of diffs.sort((p, q) => Math.abs(q[1]) - Math.abs(p[1])).slice(0, top)) console.log(`${fmt(cost).padStart(8)}  ${name.slice(0, 160)}`);
}
if (values.keep === undefined && values.from === undefined) rmSync(outDir, { recursive: true, force: true });
else console.log(`\nkept: ${outDir}`);
