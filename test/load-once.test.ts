// loadOnce (protocol/load-once.ts), behind every module the library loads on first use: callers
// during a load share it, the module is then there without a promise, and a failed load is
// forgotten so the next call tries again (the undici exchanger used to keep a failed load).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadOnce } from '../protocol/load-once.ts';

const test = suite('loadOnce');

test('callers during the load share one import; then the module is there at once', async () => {
  let imports = 0;
  const lazy = loadOnce(async () => { imports += 1; return { name: 'm' }; });
  assert.is(lazy.loaded, undefined);
  const [a, b] = await Promise.all([lazy.load(), lazy.load()]);
  assert.is(a, b);
  assert.is(imports, 1);
  assert.is(lazy.loaded, a);
  assert.is(await lazy.load(), a);
  assert.is(imports, 1);
});

test('a failed load rejects its callers and the next call imports again', async () => {
  let imports = 0;
  const lazy = loadOnce(async () => {
    imports += 1;
    if (imports === 1) throw new Error('chunk missing');
    return 42;
  });
  const first = await lazy.load().then(() => 'loaded', (e: Error) => e.message);
  assert.is(first, 'chunk missing');
  assert.is(lazy.loaded, undefined);
  assert.is(await lazy.load(), 42);
  assert.is(imports, 2);
});

test('pick maps the module (a CommonJS export); a pick that throws is a failed load', async () => {
  const lazy = loadOnce(async () => ({ default: { value: 7 } }), (m) => m.default.value);
  assert.is(await lazy.load(), 7);
  const broken = loadOnce(async () => ({}), () => { throw new Error('no export'); });
  assert.is(await broken.load().then(() => 'ok', (e: Error) => e.message), 'no export');
});

test.run();
