// `mcpwire host --url/--name/--config`: a usage error names the flag the user typed. A bad
// --url used to be reported as "--url: mcpServers.server.url is not a URL", a config path the
// user never wrote (userwalk, session 11).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serversFrom } from './host.ts';
import { usageError } from '../test/support/usage-error.ts';

const servers = suite('mcpwire host: the servers named on the command line');

servers('a --url that is not a URL names --url and the value, and no config path', async () => {
  const message = await usageError(() => serversFrom('notaurl', undefined, undefined));
  assert.match(message, /^--url /);
  assert.match(message, /"notaurl"/);
  assert.not.match(message, /mcpServers|server\.url/);
});

servers('a --url that is not http(s) names --url and the scheme it has', async () => {
  const message = await usageError(() => serversFrom('ftp://example.com/mcp', undefined, undefined));
  assert.match(message, /^--url .*http or https, not ftp/);
  assert.not.match(message, /mcpServers/);
});

servers('--name takes what <tool>@<server> can name, and only with --url', async () => {
  assert.match(await usageError(() => serversFrom('http://127.0.0.1:1/mcp', undefined, 'two words')), /^--name "two words"/);
  assert.match(await usageError(() => serversFrom(undefined, undefined, 'a')), /^--name .*--url/);
  const [spec] = await serversFrom('http://127.0.0.1:1/mcp', undefined, 'agents');
  assert.equal([spec?.name, spec?.kind], ['agents', 'http']);
  const [unnamed] = await serversFrom('http://127.0.0.1:1/mcp', undefined, undefined);
  assert.is(unnamed?.name, '127.0.0.1:1');
});

servers.run();
