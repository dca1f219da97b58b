// The host run in-process on a terminal that goes away. Seen once after a CI run: a demo whose
// `script` was killed as it printed "Goodbye" stayed running, orphaned, its server restarted by
// the demo's keeper, because restoring the hung-up terminal threw inside `quit` and the run was
// never told to end. Each case here waits for runHost itself to return.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runHost, type RunHostOptions } from '../host/index.ts';
import { tempDir } from './host-harness.ts';
import { TtyInput, ttyOutput, within } from './tty-fakes.ts';

const hangup = suite('host: a terminal that hangs up');

let dir: { path: string; remove(): Promise<void> };
hangup.before(async () => { dir = await tempDir('mcpwire-host-hangup-'); });
hangup.after(async () => { await dir.remove(); });

function start(name: string) {
  const input = new TtyInput();
  const output = ttyOutput();
  const options: RunHostOptions = {
    specs: [], stateDir: `${dir.path}/${name}`, json: false, yes: false, logLevel: 'warning',
    callTimeoutMs: 60_000, verbose: false, color: false, startupWaitMs: 1_000,
    stdin: input as unknown as NodeJS.ReadStream,
    stdout: output as unknown as NodeJS.WriteStream,
    stderr: output as unknown as NodeJS.WriteStream,
  };
  const code = runHost(options);
  const printed = (re: RegExp) => within(new Promise<void>((resolve) => {
    const check = () => { if (re.test(output.text())) { output.off('data', check); resolve(); } };
    output.on('data', check);
    check();
  }), 10_000, `waiting for ${re} in:\n${output.text()}`);
  return { input, output, code, printed };
}

hangup('quit on a terminal that hangs up before the host gives raw mode back: the run still ends', async () => {
  const host = start('quit');
  await host.printed(/Type "help"/);
  host.input.write('quit\r');
  host.input.hungUp = true; // the terminal goes as the host leaves: `script` killed on "Goodbye"
  assert.is(await within(host.code, 10_000, 'runHost after quit'), 0);
  assert.match(host.output.text(), /Goodbye/);
});

hangup('a terminal that hangs up while the host waits for a command: it leaves as at the end of input', async () => {
  const host = start('idle');
  await host.printed(/Type "help"/);
  host.input.hungUp = true;
  host.input.end(); // what a hung-up terminal reads as: the end of input
  assert.is(await within(host.code, 10_000, 'runHost after the hang-up'), 0);
  assert.match(host.output.text(), /Goodbye/);
});

hangup.run();
