// `mcpwire check` against our own fixtures over stdio with --allow-destructive, whole (the built
// CLI): no MUST failure. The demo over stdio: cli-own-servers.test.ts. Needs `npm run build`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mcpwireBin as bin, runCheck as run } from '../../test/support/check-cli.ts';

const cli = suite('mcpwire check (CLI): our own fixtures over stdio');

cli('the fixtures over stdio with --allow-destructive: no MUST failure', async () => {
  const { code, stdout } = await run(['--allow-destructive', '--', process.execPath, bin, 'serve', '--stdio', '--fixtures']);
  assert.is(code, 0, stdout);
  assert.match(stdout, /result: no MUST failure/);
});

cli.run();
