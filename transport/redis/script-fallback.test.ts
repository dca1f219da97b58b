// The lease script carries a Redis 7 shebang (`#!lua flags=allow-oom`); a Redis before 7.0
// reads no shebang and refuses the script ("unexpected symbol near '#'"), and the link then
// loads it without the line (connection.ts `#load`). This machine has Redis 7 only, so the
// fallback was untested (faults21's leftover, session 30). Here a loopback proxy in front of
// the real redis-server answers every script that starts with "#!" as Redis 6 does (it
// rewrites the command into one whose reply is Redis 6's compile error, so replies keep
// their order) and passes everything else on: the lease then works on the plain script,
// through SCRIPT LOAD and, after SCRIPT FLUSH, through the NOSCRIPT path's EVAL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

// Redis 6.2's reply to SCRIPT LOAD / EVAL of a script whose first line is a shebang.
const REDIS6_ERROR = "ERR Error compiling script (new function): user_script:1: unexpected symbol near '#'";

/** Encode a command as RESP (an array of bulk strings). */
const resp = (parts: readonly string[]): Buffer =>
  Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts.map((p) => Buffer.concat([Buffer.from(`$${Buffer.byteLength(p)}\r\n`), Buffer.from(p), Buffer.from('\r\n')]))]);

/** One whole RESP command at the start of `buffer`, and its length; undefined when incomplete. */
function parseCommand(buffer: Buffer): { parts: string[]; length: number } | undefined {
  let at = buffer.indexOf('\r\n');
  if (at < 0) return undefined;
  const count = Number(buffer.subarray(1, at).toString());
  const parts: string[] = [];
  let offset = at + 2;
  for (let i = 0; i < count; i++) {
    at = buffer.indexOf('\r\n', offset);
    if (at < 0) return undefined;
    const size = Number(buffer.subarray(offset + 1, at).toString());
    if (buffer.length < at + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(at + 2, at + 2 + size).toString());
    offset = at + 2 + size + 2;
  }
  return { parts, length: offset };
}

/** A proxy to `port` that plays a Redis before 7.0 for shebang scripts; `seen` lists the scripts' first lines by command. */
async function redis6Proxy(port: number): Promise<{ url: string; seen: string[]; server: Server; sockets: Set<Socket> }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    upstream.on('data', (chunk) => client.write(chunk));
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (let command = parseCommand(pending); command; command = parseCommand(pending)) {
        const [name = '', sub = '', script = ''] = command.parts.map((p, i) => (i < 2 ? p.toUpperCase() : p));
        const source = name === 'EVAL' ? command.parts[1] ?? '' : name === 'SCRIPT' && sub === 'LOAD' ? script : undefined;
        if (source !== undefined) seen.push(`${name === 'EVAL' ? 'EVAL' : 'SCRIPT LOAD'} ${source.trimStart().split('\n')[0]}`);
        upstream.write(source?.startsWith('#!')
          ? resp(['EVAL', `return redis.error_reply("${REDIS6_ERROR}")`, '0'])
          : pending.subarray(0, command.length));
        pending = pending.subarray(command.length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, seen, server, sockets };
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis scripts with a Redis 7 shebang on a Redis before 7.0');

  test('the lease script is loaded without its shebang line and works, also after SCRIPT FLUSH (NOSCRIPT, then EVAL)', async () => {
    const proxy = await redis6Proxy(redis.port);
    const link = await connectRedis(proxy.url);
    const admin = await connectRedis(redis.url);
    try {
      const store = createRedisTaskStore(link, { prefix: 'redis6:' });
      assert.is(await store.lease('t1', 'instance-a', 5_000), true, 'first lease');
      assert.equal(proxy.seen.filter((s) => s.includes('flags=allow-oom')), ['SCRIPT LOAD #!lua flags=allow-oom'], 'the shebang script was tried once');
      assert.ok(proxy.seen.includes('SCRIPT LOAD local mcpwire_now = redis.call(\'TIME\')'), proxy.seen.join('\n'));
      assert.is(await store.lease('t1', 'instance-b', 5_000), false, 'the lease holds against another instance');
      await admin.send(['SCRIPT', 'FLUSH']);
      const before = proxy.seen.length;
      assert.is(await store.lease('t1', 'instance-a', 5_000), true, 'renewed after Redis forgot its scripts');
      assert.not.ok(proxy.seen.slice(before).some((s) => s.includes('#!')), `no shebang sent again: ${proxy.seen.slice(before).join(' | ')}`);
      await store.releaseLease('t1', 'instance-a');
      assert.is(await store.lease('t1', 'instance-b', 5_000), true, 'released, another instance takes it');
    } finally {
      await link.close();
      await admin.close();
      for (const socket of proxy.sockets) socket.destroy();
      await new Promise((r) => proxy.server.close(r));
    }
  });

  test.after(() => redis.stop());
  test.run();
}
