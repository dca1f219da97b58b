// The OAuth client's file store under faults, as a user meets them: a damaged token file, a
// state directory that cannot be written, and two hosts on one store whose tokens expire
// together against an authorization server that rotates refresh tokens (OAuth 2.1 §4.3.1).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileAuthStore } from 'mcpwire/client';
import { lockFile } from '../client/auth/store-lock.ts';
import { setup } from './support/oauth-flow-setup.ts';

const faults = suite('the file auth store under faults');

faults('a damaged token file is moved aside and said; the user signs in again instead of every request failing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const s = await setup({}, {}, createFileAuthStore({ dir }));
  try {
    await (await s.connect()).close();
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name!), '{"issuer": "http://127.0.0.1:1", "tok'); // cut short
    const damaged: string[] = [];
    // Before: "cannot parse …" from every request of every run, until the file was deleted by hand.
    const { client, close } = await s.connect({ store: createFileAuthStore({ dir, onDamaged: (m) => damaged.push(m) }) });
    await client.listTools();
    await close();
    assert.is(damaged.length, 1, damaged.join('\n'));
    assert.match(damaged[0]!, /is damaged .*moved aside to .*\.damaged; signing in again/);
    assert.ok(existsSync(join(dir, `${name!}.damaged`)));
    assert.is(s.authorizations, 2);
    await (await s.connect({ store: createFileAuthStore({ dir }) })).close();
    assert.is(s.authorizations, 2, 'the new sign-in was kept');
  } finally {
    await s.as.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('a record with a member of the wrong type is damaged too: said, naming the member and the file, moved aside, signed in again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const s = await setup({}, {}, createFileAuthStore({ dir }));
  try {
    await (await s.connect()).close();
    const [name] = readdirSync(dir);
    const file = join(dir, name!);
    const good = JSON.parse(readFileSync(file, 'utf8')) as { tokens: Record<string, Record<string, unknown>>; client: Record<string, unknown> };
    const [resource, tokens] = Object.entries(good.tokens)[0]!;
    // Before: `tokens: null` failed every request with "Cannot convert undefined or null to
    // object" (no file named); a token that is a string sent `Bearer undefined` and signed in
    // again unsaid; a numeric client_id was kept and would be sent.
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, tokens: null }, /tokens is not an object/],
      [{ ...good, tokens: { [resource]: 'x' } }, /tokens\[".*"\] is not an object/],
      [{ ...good, tokens: { [resource]: { ...tokens, access_token: 5 } } }, /tokens\[".*"\]\.access_token is not a string/],
      [{ ...good, tokens: { [resource]: { ...tokens, expires_at: 'soon' } } }, /\.expires_at is not a number/],
      [{ ...good, client: { ...good.client, client_id: 42 } }, /client\.client_id is not a string/],
      [{ ...good, client: { ...good.client, redirect_uris: 'http://127.0.0.1/cb' } }, /client\.redirect_uris is not a list of strings/],
    ];
    for (const [record, why] of cases) {
      writeFileSync(file, JSON.stringify(record));
      const damaged: string[] = [];
      const before = s.authorizations;
      const { client, close } = await s.connect({ store: createFileAuthStore({ dir, onDamaged: (m) => damaged.push(m) }) });
      await client.listTools();
      await close();
      assert.is(damaged.length, 1, `${why}: ${damaged.join('\n')}`);
      assert.match(damaged[0]!, why);
      assert.ok(damaged[0]!.includes(`${file} is not an issuer record`), damaged[0]);
      assert.match(damaged[0]!, /moved aside to .*\.damaged; signing in again/);
      assert.equal(JSON.parse(readFileSync(`${file}.damaged`, 'utf8')), record, 'the damaged record is kept aside as it was');
      assert.is(s.authorizations, before + 1, 'one new sign-in');
      assert.is(typeof JSON.parse(readFileSync(file, 'utf8')).tokens[resource].access_token, 'string', 'the new sign-in is kept');
      unlinkSync(`${file}.damaged`);
    }
  } finally {
    await s.as.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('a state directory that cannot be written: the sign-in serves the run, said once; the user is not asked again and again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  writeFileSync(join(dir, 'file'), '');
  const errors: string[] = [];
  // A directory under a regular file: ENOTDIR for every read and write (as root, chmod would not stop one).
  const s = await setup({}, {}, createFileAuthStore({ dir: join(dir, 'file', 'auth') }));
  try {
    // Before: the sign-in succeeded, then its save failed the request: "cannot list …".
    const { client, close } = await s.connect({ onError: (e) => errors.push(e.message) });
    for (let i = 0; i < 3; i++) await client.listTools();
    await close();
    assert.is(s.authorizations, 1);
    assert.ok(errors.some((e) => /cannot (read|write) .*the sign-in is kept for this run only \(make that directory writable to keep it\)/.test(e)), errors.join('\n'));
    assert.ok(errors.length <= 3, errors.join('\n'));
  } finally {
    await s.as.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('two hosts on one store refresh the same expired tokens at once: one refresh, both go on, nobody is asked to sign in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const s = await setup({ rotateRefreshTokens: true }, {}, createFileAuthStore({ dir }));
  try {
    await (await s.connect()).close();
    const store = createFileAuthStore({ dir });
    const [record] = await store.list();
    for (const tokens of Object.values(record!.tokens)) {
      tokens.expires_at = Math.floor(Date.now() / 1000) - 10;
      tokens.access_token = 'expired'; // the resource refuses it too
    }
    await store.write(record!);
    const errors: string[] = [];
    const hosts = await Promise.all([0, 1].map(() => s.connect({ store: createFileAuthStore({ dir }), onError: (e) => errors.push(e.message) })));
    await Promise.all(hosts.map((h) => h.close()));
    // Before: both refreshed; the second one's refresh token was spent (invalid_grant), and
    // its user was asked to sign in again.
    assert.is(s.as.events.filter((e) => e.kind === 'token' && e.params.grant_type === 'refresh_token').length, 1);
    assert.equal(errors, []);
    assert.is(s.authorizations, 1);
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.lock')), [], 'the lock is released');
  } finally {
    await s.as.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('the lock\'s limits are checked when the store is made', () => {
  assert.throws(() => createFileAuthStore({ dir: tmpdir(), lockWaitMs: -1 }), /lockWaitMs must be a whole number of ms \(0 or more\), got -1/);
  assert.throws(() => createFileAuthStore({ dir: tmpdir(), lockStaleMs: 1.5 }), /lockStaleMs must be a whole number of ms/);
});

faults('two refreshers that judge one leftover lock stale at once: one holds the lock, the other waits for it', async () => {
  if (process.platform !== 'linux') return console.log('  (skipped: needs mkfifo)');
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const file = join(dir, 'issuer.json');
  const path = `${file}.lock`;
  try {
    // The leftover lock is a FIFO, so the slow refresher's look at it (reading its pid) waits
    // until this test writes one: it judges the leftover stale only after the quick refresher
    // has taken the lock over, as a descheduled process would.
    execFileSync('mkfifo', [path]);
    let held = 0;
    let most = 0;
    const refresher = async () => {
      const unlock = await lockFile(dir, file, 10_000, 30_000);
      most = Math.max(most, ++held);
      return async () => {
        held--;
        await unlock();
      };
    };
    const slow = refresher();
    // Open the FIFO for writing once the slow one is reading it (ENXIO until then).
    let fd: number | undefined;
    for (let i = 0; i < 400 && fd === undefined; i++) {
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    assert.ok(fd !== undefined, 'the slow refresher reads the lock');
    unlinkSync(path); // the quick one removed the leftover (gone: its pid is dead) ...
    const quick = await refresher(); // ... and holds the lock now
    writeSync(fd!, '999999999'); // the slow one reads the leftover's dead pid
    closeSync(fd!);
    // The quick one holds the lock for a while (a slow machine that needs longer can only make
    // this pass without showing anything, never fail it wrongly).
    const quickDone = new Promise((resolve) => setTimeout(resolve, 200)).then(quick);
    const releaseSlow = await slow;
    await quickDone;
    await releaseSlow();
    // Before: the slow one removed the quick one's fresh lock and made its own: two held it.
    assert.is(most, 1);
    assert.equal(readdirSync(dir), [], 'every lock is released');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('a refresh that works longer than lockStaleMs keeps its lock (touched); one that hangs past lockWaitMs is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const file = join(dir, 'issuer.json');
  try {
    let held = 0;
    let most = 0;
    const take = async (waitMs: number) => {
      const unlock = await lockFile(dir, file, waitMs, 120);
      most = Math.max(most, ++held);
      return async () => {
        held--;
        await unlock();
      };
    };
    const slow = await take(5_000);
    const second = take(5_000);
    // The first refresh goes on for four times lockStaleMs (its token request is slow), its process alive.
    await new Promise((resolve) => setTimeout(resolve, 480));
    await slow();
    await (await second)();
    // Before: the second took the lock over 120 ms after it was made, while the first still worked.
    assert.is(most, 1);

    // A holder that never releases (hung) is touched for its lockWaitMs (150) only, then taken over.
    const hung = await take(150);
    const started = Date.now();
    const after = await take(5_000);
    assert.ok(Date.now() - started < 2_000, `taken over after ${Date.now() - started} ms`);
    await after();
    await hung();
    assert.equal(readdirSync(dir), [], 'every lock is released');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('a directory where the lock goes (it cannot be taken over): the refresh waits lockWaitMs, then goes on without it', async () => {
  // faults27: a leftover that cannot be removed was judged stale, "taken over" and tried again
  // at once, forever (the wait's end was never looked at): the refresh hung, the loop spun.
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-lock-dir-'));
  const file = join(dir, 'issuer.json');
  mkdirSync(`${file}.lock`);
  try {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), 10_000); });
    const outcome = await Promise.race([lockFile(dir, file, 200, 50).then(async (unlock) => { await unlock(); return 'done without the lock'; }), hung]);
    clearTimeout(timer);
    assert.is(outcome, 'done without the lock');
    assert.equal(readdirSync(dir), ['issuer.json.lock'], 'the directory is left alone, no guard left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

faults('two writes of one issuer\'s record at once by one process: both succeed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  try {
    const store = createFileAuthStore({ dir });
    const record = (n: number) => ({ issuer: 'http://as', tokens: { [`http://r${n}`]: { access_token: `t${n}`, token_type: 'Bearer' } } });
    // Before: both wrote <file>.<pid>.tmp; the second rename found it gone (ENOENT) and failed.
    const results = await Promise.allSettled([store.write(record(1)), store.write(record(2))]);
    assert.equal(results.map((r) => r.status === 'rejected' ? String(r.reason) : r.status), ['fulfilled', 'fulfilled']);
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

faults.run();
