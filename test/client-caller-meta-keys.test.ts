// Which `_meta` keys a caller may set (`callTool(..., { meta })`). 2025-11-25 and 2026-07-28
// basic/index (`_meta`): a prefix whose SECOND label is `modelcontextprotocol` or `mcp` is
// reserved, "However, `com.example.mcp/` is NOT reserved, as the second label is `example`".
// 2025-06-18 reserved such a label followed by any other (`tools.mcp.com/`); both rules are
// kept, so an older peer is never sent a key of its own. Before, any label `mcp` anywhere was
// refused, so `com.example.mcp/trace` failed with MCP_ERR_VALIDATION.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withCallerMeta } from '../client/caller-meta.ts';

const refused = (key: string): boolean => {
  try {
    withCallerMeta({}, { [key]: 1 }, 't');
    return false;
  } catch (error) {
    assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
    return true;
  }
};

const keys = suite('client: reserved _meta keys');

keys('the spec\'s reserved examples are refused (2025-11-25 / 2026-07-28, and 2025-06-18)', () => {
  for (const key of ['io.modelcontextprotocol/x', 'dev.mcp/x', 'org.modelcontextprotocol.api/x', 'com.mcp.tools/x', 'modelcontextprotocol.io/x', 'mcp.dev/x', 'api.modelcontextprotocol.org/x', 'tools.mcp.com/x', 'progressToken']) {
    assert.ok(refused(key), key);
  }
});

keys('a vendor prefix whose last label is mcp, or a key without a prefix, is the caller\'s', () => {
  for (const key of ['com.example.mcp/trace', 'org.acme.modelcontextprotocol/x', 'mcp/x', 'example.com/mcp-like', 'mcp', 'traceparent']) {
    assert.is(refused(key), false, key);
  }
  assert.equal(withCallerMeta({ name: 't' }, { 'com.example.mcp/trace': 'a' }, 't'), { name: 't', _meta: { 'com.example.mcp/trace': 'a' } });
});

keys.run();
