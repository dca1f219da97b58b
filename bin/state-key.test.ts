// The requestState key under `serve --state DIR`: made once, kept across restarts, never
// left half-written. A first start killed between creating `request-state.key` and writing
// it used to leave an empty file, and every later start refused with "must be base64 of at
// least 32 bytes": the server could not start again on its own state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, existsSync, openSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestStateKey } from './state-key.ts';
import { UsageError } from './args.ts';

const key = suite('serve --state: the requestState key file');

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-key-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

key('a plain file given as --state is refused by name, not with a bare EEXIST', () => withDir(async (dir) => {
  const file = join(dir, 'state');
  await writeFile(file, '');
  try {
    await requestStateKey(file, {});
    assert.unreachable('a file was taken for the state directory');
  } catch (error) {
    assert.instance(error, UsageError);
    assert.is((error as Error).message, `--state ${file} must be a directory, but it is a file`);
  }
}));

key('a directory where the key file goes is refused by name, not with a bare EISDIR', () => withDir(async (dir) => {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'request-state.key'));
  try {
    await requestStateKey(dir, {});
    assert.unreachable('a directory was taken for the key file');
  } catch (error) {
    assert.instance(error, UsageError);
    assert.is((error as Error).message, `${join(dir, 'request-state.key')} is a directory, not the requestState key: remove it, or set MCPWIRE_REQUEST_STATE_KEY`);
  }
}));

key('a FIFO where the key file goes is refused by name (reading it blocked until a writer came: serve --state hung with no output)', () => withDir(async (dir) => {
  if (process.platform === 'win32') return;
  const fifo = join(dir, 'request-state.key');
  execFileSync('mkfifo', [fifo]);
  let timer: NodeJS.Timeout | undefined;
  const asked = requestStateKey(dir, {}).then(() => 'a key', (e: unknown) => e);
  const outcome = await Promise.race([asked, new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), 10_000); })]);
  clearTimeout(timer);
  if (outcome === 'hung') {
    closeSync(openSync(fifo, 'r+')); // lets the blocked reader go, so the test can end
    await asked;
  }
  assert.instance(outcome, UsageError);
  assert.is((outcome as Error).message, `${fifo} is not a regular file, not the requestState key: remove it, or set MCPWIRE_REQUEST_STATE_KEY`);
}));

key('made on first start, the same on the next, and nothing else is left in DIR', () => withDir(async (dir) => {
  const first = await requestStateKey(dir, {});
  assert.is(first?.byteLength, 32);
  assert.equal(await requestStateKey(dir, {}), first);
  assert.equal(await readdir(dir), ['request-state.key']);
}));

key('an empty key file (a first start killed mid-write) is replaced by a new key', () => withDir(async (dir) => {
  await writeFile(join(dir, 'request-state.key'), '', { mode: 0o600 });
  const made = await requestStateKey(dir, {});
  assert.is(made?.byteLength, 32);
  assert.is((await readFile(join(dir, 'request-state.key'), 'utf8')).trim(), Buffer.from(made!).toString('base64'));
  assert.equal(await requestStateKey(dir, {}), made);
}));

key('a key file with other content is still refused, not replaced (it may seal live requests)', () => withDir(async (dir) => {
  await writeFile(join(dir, 'request-state.key'), 'not a key\n');
  try {
    await requestStateKey(dir, {});
    assert.unreachable('a damaged key must be refused');
  } catch (error) {
    assert.instance(error, UsageError);
  }
  assert.is(await readFile(join(dir, 'request-state.key'), 'utf8'), 'not a key\n');
}));

key('two starts at once on one DIR agree on one key', () => withDir(async (dir) => {
  const [a, b] = await Promise.all([requestStateKey(dir, {}), requestStateKey(dir, {})]);
  assert.equal(a, b);
  assert.equal(await readdir(dir), ['request-state.key']);
}));

key('a --state that cannot be made ends with a usage error naming it (Node 20\'s recursive mkdir spun for ever under /proc)', async () => {
  if (!existsSync('/proc/self')) {
    console.log('  skipped: no /proc on this system');
    return;
  }
  const error = await requestStateKey('/proc/self/mcpwire-state', {}).then(() => undefined, (e: unknown) => e);
  assert.instance(error, UsageError);
  assert.match((error as Error).message, /--state \/proc\/self\/mcpwire-state cannot be created: ENOENT/);
});

key.run();
