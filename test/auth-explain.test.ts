// What the host says when a sign-in fails: the OAuth client's error reached the user under the
// transport's words, "x: POST failed: no sign-in within 300 s" (authwalk1's leftover). It is
// said as the sign-in's failure, with what to do.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import { AuthError, AuthErrorCode } from 'mcpwire/client';
import { explain, explainConnect } from '../host/explain.ts';

const said = suite('host: a failed sign-in, in words');

/** The error the HTTP transport fails a request with when its auth hook threw `cause`. */
const wrapped = (cause: AuthError) => new McpError(LocalErrorCode.Http, `POST failed: ${cause.message}`, { cause });

said('nobody came back from the browser: the sign-in failed, open the URL, and the flag that waits longer', () => {
  const line = explainConnect(wrapped(new AuthError(AuthErrorCode.Interaction, 'no sign-in within 300 s')), 'docs', 'https://docs.example/mcp');
  assert.is(line, 'docs: the sign-in failed: no sign-in within 300 s; open the URL printed above in a browser and sign in (--sign-in-timeout-ms N waits longer)');
  assert.not.match(line, /POST failed/);
});

said('a server whose authorization is set up wrong: named with its code, and what the user can do', () => {
  const line = explain(wrapped(new AuthError(AuthErrorCode.Pkce, 'https://as.example does not advertise PKCE with S256 (code_challenge_methods_supported): refused')), 'docs');
  assert.match(line, /^docs: the sign-in failed: https:\/\/as\.example does not advertise PKCE .*; its sign-in is set up wrong \(MCP_ERR_AUTH_PKCE\); tell its operator, or give a token with --token$/);
});

said('other failures keep their own words', () => {
  assert.is(explain(new McpError(LocalErrorCode.Http, 'POST failed: something else'), 'docs'), 'docs: POST failed: something else');
});

said('a server that refuses the token its sign-in just gave: not said as a failed sign-in; tell its operator', () => {
  const line = explain(wrapped(new AuthError(AuthErrorCode.Refused, 'https://docs.example/mcp refused the token https://as.example had just issued for it (invalid_token: aud)')), 'docs');
  assert.is(line, 'docs: https://docs.example/mcp refused the token https://as.example had just issued for it (invalid_token: aud); tell its operator, or give a token with --token');
});

said.run();
