// The client's check of a tools/call result's shape (tool-result-shape.ts). A block whose
// `type` names a member of Object.prototype (`constructor`, `toString`, `__proto__`) is a type
// this client does not know, so it passes like any other unknown type; it threw a TypeError
// ("... is not iterable") from inside the check, which reached the caller of callTool as
// neither a result nor MCP_ERR_PROTOCOL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toolResultProblem } from './tool-result-shape.ts';

const shape = suite('client: the shape of a tool result');

shape('a block typed like an Object.prototype member is an unknown type, not a crash', () => {
  for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    assert.is(toolResultProblem({ content: [{ type: 'text', text: 'a' }, { type }] }), undefined, type);
  }
});

shape('the first bad block is named by its position and what it lacks', () => {
  assert.is(toolResultProblem({ content: [{ type: 'text', text: 'a' }, { type: 'image', data: 'AAAA' }] }),
    'content block 2 (image) has "mimeType" missing, not a string');
  assert.is(toolResultProblem({ content: [{ type: 'text', text: 1 }] }), 'content block 1 (text) has "text" as a number, not a string');
  assert.is(toolResultProblem({ content: [{ type: 'resource_link', uri: 'a://b', name: 'b' }, null] }), 'content block 2 is null, not a content block');
  assert.is(toolResultProblem({ content: [{ type: 'resource', resource: {} }] }), 'content block 1 (resource) has no "resource" with a "uri" string');
  assert.is(toolResultProblem({ content: [{ type: 'text', text: 'a' }, { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' }] }), undefined);
});

shape.run();
