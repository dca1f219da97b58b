// Test fixture: a 2025-11-25 stdio server whose questions serve tasks, as 2025-11-25
// basic/utilities/tasks has it: every `elicitation/create` carries the task's
// `io.modelcontextprotocol/related-task` `_meta`, and none is ever cancelled.
// `tasks/result` {taskId} asks (id "r<request id>") for that task and is never answered;
// `tools/call` "ask" {task} asks (id "q<request id>") for the task named, and "hold" waits;
// neither is answered. Every answer it gets goes to stderr as "answer <id> <json>".
import { createInterface } from 'node:readline';

const write = (m) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
const ask = (id, taskId) => write({
  id, method: 'elicitation/create',
  params: { mode: 'form', message: `Input for ${taskId}?`, requestedSchema: { type: 'object', properties: { seat: { type: 'string' } } }, _meta: { 'io.modelcontextprotocol/related-task': { taskId } } },
});
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') {
    write({ id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } }, serverInfo: { name: 'task-asks', version: '1' } } });
  } else if (m.method === 'tasks/result') {
    ask(`r${m.id}`, m.params.taskId);
  } else if (m.method === 'tools/call' && m.params?.name === 'ask') {
    ask(`q${m.id}`, m.params.arguments.task);
  } else if (m.method === undefined && m.id !== undefined) {
    process.stderr.write(`answer ${m.id} ${JSON.stringify(m.result ?? m.error)}\n`);
  }
});
