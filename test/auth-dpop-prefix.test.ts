// A protected resource behind a reverse proxy that takes a path prefix off (the resource
// https://mcp.example/team/mcp served to this process as /mcp): the client signs its DPoP
// proofs for the URL it addressed, the resource's (RFC 9449 §4.3 step 9, `htu`); this server
// compared `htu` with its origin plus the path it saw, https://mcp.example/mcp, and refused
// every DPoP-bound request. The metadata document stays at the RFC 9728 §3.1 path-inserted URL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createJwtVerifier, createProtectedResource } from 'mcpwire/server';
import type { InboundRequest } from 'mcpwire/transport';
import { dpopKey, startJwtIssuer } from './support/jwt-issuer.ts';

const RESOURCE = 'https://mcp.example/team/mcp';

const test = suite('protected resource behind a path prefix: DPoP htu');

function request(path: string, headers: Record<string, string>): InboundRequest {
  return {
    method: 'POST', path,
    header: (name) => headers[name] ?? null,
    headerRecord: () => headers,
    text: async () => '{}',
    toRequest: () => new Request(`https://mcp.example${path}`, { method: 'POST', headers }),
  };
}

test('a proof for the resource URL is taken where a proxy took the prefix off; one for another path is still refused', async () => {
  const issuer = await startJwtIssuer(RESOURCE);
  try {
    const guard = createProtectedResource({
      resource: RESOURCE, authorizationServers: [issuer.issuer],
      verifier: createJwtVerifier({ issuer: issuer.issuer, audience: RESOURCE }),
    });
    const key = await dpopKey();
    const token = await issuer.mint({}, { jkt: key.jkt });
    /** The refusal's status, or 'passed' with the principal. */
    const send = async (path: string, htu: string): Promise<number | string> => {
      const result = await guard.authenticate(request(path, { authorization: `DPoP ${token}`, dpop: await key.proof('POST', htu, token) }));
      return result && 'status' in result ? result.status : result?.auth.subject === undefined ? 'no principal' : 'passed';
    };
    // Before: 401 invalid_dpop_proof, "htu … is not the request URL https://mcp.example/mcp".
    assert.is(await send('/mcp', RESOURCE), 'passed', 'behind the proxy');
    assert.is(await send('/team/mcp', RESOURCE), 'passed', 'without a proxy');
    assert.is(await send('/mcp', 'https://mcp.example/other/mcp'), 401);
    assert.is(await send('/cp', RESOURCE), 401, 'not a whole segment of the resource\'s path');
    assert.is(guard.metadataUrl, 'https://mcp.example/.well-known/oauth-protected-resource/team/mcp');
  } finally {
    await issuer.close();
  }
});

test.run();
