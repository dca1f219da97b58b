// A bad flag is named in its error (hostwalk3, session 21). A typo was Node's "Unknown option
// '--htp'. To specify a positional argument starting with a '-', place it at the end of the
// command after '--', as in '-- "--htp"", its quotes unbalanced and no flag suggested; a flag
// given no value was "Option '--state <value>' argument missing"; `host --state FILE` printed
// eight warnings and failed its call; `demo --state FILE` and `serve --agents --records FILE`
// said only "ENOTDIR: not a directory, mkdir ..."; `serve --agents --corpus DIR` named no flag.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandArgs } from './args.ts';
import { demoCommand } from './demo.ts';
import { hostCommand } from './host.ts';
import { serveCommand } from './serve.ts';
import { usageError } from '../test/support/usage-error.ts';

const flags = suite('usage errors name the flag');
let dir: string;
let file: string;

flags.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpwire-flag-errors-'));
  file = join(dir, 'a-file');
  await writeFile(file, 'not a folder');
});
flags.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { http: { type: 'boolean' }, port: { type: 'string' }, state: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, 'step-ms': { type: 'string' } } as const;

flags('an unknown flag is named, with the one meant when it is a typo', async () => {
  assert.is(await usageError(() => parseCommandArgs(['--htp'], options)), 'unknown option --htp (did you mean --http?)');
  assert.is(await usageError(() => parseCommandArgs(['--yse'], options)), 'unknown option --yse (did you mean --yes?)');
  assert.is(await usageError(() => parseCommandArgs(['--stpe-ms', '5'], options)), 'unknown option --stpe-ms (did you mean --step-ms?)');
  assert.is(await usageError(() => parseCommandArgs(['--porrt=3'], options)), 'unknown option --porrt (did you mean --port?)');
  assert.is(await usageError(() => parseCommandArgs(['--bogus'], options)), 'unknown option --bogus');
  assert.is(await usageError(() => parseCommandArgs(['-q'], options)), 'unknown option -q');
});

flags('a flag at the end with no value says so', async () => {
  assert.is(await usageError(() => parseCommandArgs(['--state'], options)), '--state needs a value');
  assert.is(await usageError(() => parseCommandArgs(['-y', '--port'], options)), '--port needs a value');
});

// hostwalk9 (session 26): `host --url A --url B` ran against B alone, A dropped without a word
// (parseArgs keeps the last value). The host's one-server flags are refused twice; others keep
// "the last one wins", which `npm run agents -- --port 3001` relies on.
flags('host --url (or --config, --name) given twice is refused, naming both; serve\'s --port still takes the last', async () => {
  assert.is(await usageError(() => hostCommand(['--url', 'http://127.0.0.1:9/mcp', '--url', 'http://127.0.0.1:10/mcp', '--exec', 'list'])),
    '--url is given 2 times ("http://127.0.0.1:9/mcp", "http://127.0.0.1:10/mcp"); it takes one: for several servers, name them in an "mcpServers" file given to --config');
  assert.match(await usageError(() => hostCommand(['--config', 'a.json', '--config=b.json'])), /^--config is given 2 times \("a\.json", "b\.json"\); it takes one/);
  assert.equal(parseCommandArgs(['--port', '3000', '--port', '3001'], options).values.port, '3001');
});

flags('host --state FILE is refused before any server is asked', async () => {
  assert.is(await usageError(() => hostCommand(['--url', 'http://127.0.0.1:9/mcp', '--state', file, '--exec', 'list'])),
    `--state ${file} must be a directory, but it is a file`);
});

flags('host with no --state names the state directory it could not make', async () => {
  const saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = file;
  try {
    assert.is(await usageError(() => hostCommand(['--url', 'http://127.0.0.1:9/mcp', '--exec', 'list'])),
      `the state directory ${join(file, 'mcpwire')} must be a directory, but a part of that path is a file`);
  } finally {
    if (saved === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = saved;
  }
});

flags('demo --state FILE is refused before the server starts', async () => {
  assert.is(await usageError(() => demoCommand(['--state', file])), `--state ${file} must be a directory, but it is a file`);
});

flags('demo with a word that is no option is refused, not started as if unsaid', async () => {
  assert.is(await usageError(() => demoCommand(['travel_agent', 'destination=Rome'])),
    'unexpected "travel_agent destination=Rome": the demo takes options only; type commands at its prompt, or pipe them on stdin');
});

flags('serve --agents --records FILE and --corpus MISSING name their flags', async () => {
  assert.is(await usageError(() => serveCommand(['--http', '--port', '0', '--agents', '--records', file])),
    `--records ${file} must be a directory, but it is a file`);
  const missing = join(dir, 'no-corpus');
  assert.is(await usageError(() => serveCommand(['--http', '--port', '0', '--agents', '--records', join(dir, 'records'), '--corpus', missing])),
    `--corpus: the corpus folder ${missing} does not exist`);
});

flags('host --config: a VS Code input nobody can answer (stdin not a terminal) is refused naming the variable that answers it', async () => {
  const config = join(dir, 'mcp.json');
  await writeFile(config, JSON.stringify({ inputs: [{ type: 'promptString', id: 'api-key', description: 'API key', password: true }], servers: { s: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${input:api-key}' } } } }));
  assert.match(await usageError(() => hostCommand(['--config', config, '--exec', 'tools'])),
    /^--config: .*mcp\.json: \$\{input:api-key\} \("API key"\) needs an answer: run in a terminal to be asked, or set MCPWIRE_INPUT_API_KEY$/);
});

flags('host --ping-interval-ms and --ping-timeout-ms: whole numbers, the timeout only with the interval (there was no ping flag)', async () => {
  const url = ['--url', 'http://127.0.0.1:9/mcp', '--exec', 'list'];
  assert.is(await usageError(() => hostCommand([...url, '--ping-interval-ms', 'often'])), '--ping-interval-ms must be a whole number of at least 0, got "often"');
  assert.is(await usageError(() => hostCommand([...url, '--ping-timeout-ms', '500'])), '--ping-timeout-ms goes with --ping-interval-ms (pings are off without it)');
  assert.is(await usageError(() => hostCommand([...url, '--ping-interval-ms', '1000', '--ping-timeout-ms', '0'])), '--ping-timeout-ms must be a whole number of at least 1, got "0"');
});

flags.run();
