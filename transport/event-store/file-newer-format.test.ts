// An event log whose header names a newer log format (written by a later mcpwire, then the
// server rolled back) is set aside untouched with a message, and its history is not served:
// before, it was read as this version's format, appended to and compacted in it, and its
// events replayed as if they meant what this version reads into them.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import { LOG_VERSION, sealLine } from './log-records.ts';

const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });

const newer = suite('file event store: a log in a newer format');
const dirs: string[] = [];
newer.after(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }); });

newer('is renamed aside byte for byte with a message naming it and its format; its history is not served', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-newer-'));
  dirs.push(dir);
  const first = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await first.openStream(key);
  await first.append(key, note(1));
  await first.append(key, note(2));
  await first.close();
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const header = lines[0]!.slice(0, lines[0]!.lastIndexOf(',"c":"')).replace(`"v":${LOG_VERSION}`, `"v":${LOG_VERSION + 1}`);
  const bytes = Buffer.concat([sealLine(header), Buffer.from(lines.slice(1).join('\n'))]);
  await writeFile(path, bytes);

  const errors: Error[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is(errors.length, 1, errors.map((e) => e.message).join('\n'));
  assert.match(errors[0]!.message, new RegExp(`${name}.* is in event log format ${LOG_VERSION + 1}, newer than this version of mcpwire reads \\(${LOG_VERSION}\\).*renamed to .*\\.corrupt`));
  assert.ok(bytes.equals(await readFile(`${path}.corrupt`)), 'kept as it was');
  const replayed: unknown[] = [];
  const outcome = await store.replayAfter(start, (_id, m) => void replayed.push(m)).then(() => 'served', (e: { code?: string }) => e.code);
  assert.is(outcome, 'MCP_ERR_RESUME');
  assert.equal(replayed, []);
  await store.close();
});

newer.run();
