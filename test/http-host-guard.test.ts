// The exported host/origin guard refuses exactly what the MCP handler refuses, for Node
// header records and fetch Headers alike.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHostGuard, defaultAllowedHosts } from 'mcpwire/transport';

const guard = suite('createHostGuard: DNS-rebinding defence for your own server');

const check = createHostGuard({ allowedHosts: defaultAllowedHosts('127.0.0.1', 8080) });

guard('an allowed host with no Origin passes, in both header shapes', () => {
  assert.is(check({ host: '127.0.0.1:8080' }), undefined);
  assert.is(check(new Headers({ host: 'localhost:8080' })), undefined);
});

guard('a rebound Host name is refused with 403 and the handler\'s JSON-RPC body', () => {
  const refusal = check({ host: 'evil.example:8080' });
  assert.is(refusal?.status, 403);
  assert.match(refusal!.message, /Host "evil\.example:8080" is not allowed/);
  assert.is(JSON.parse(refusal!.body).error.code, -32600);
});

guard('a missing Host is refused; a foreign Origin is refused; an own Origin passes', () => {
  assert.is(check({})?.status, 403);
  assert.match(check({ host: '127.0.0.1:8080', origin: 'http://evil.example' })!.message, /Origin "http:\/\/evil\.example"/);
  assert.is(check(new Headers({ host: '127.0.0.1:8080', origin: 'http://localhost:8080' })), undefined);
});

guard('explicit allowedOrigins replace the ones derived from the hosts', () => {
  const strict = createHostGuard({ allowedHosts: ['api.example:443'], allowedOrigins: ['https://app.example'] });
  assert.is(strict({ host: 'api.example:443', origin: 'https://app.example' }), undefined);
  assert.is(strict({ host: 'api.example:443', origin: 'https://api.example:443' })?.status, 403);
});

guard.run();
