// The input seam: ctx.elicit/sample/listRoots go through req.input(), and "input required"
// is never turned into a tool error, whatever source built the req.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, type CallToolResult, type ElicitParams } from '../protocol/index.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS } from './context.ts';
import { InputRequiredError, type InputRequest } from './input.ts';
import { MethodTable } from './method-table.ts';
import { createServerRequest, type ServerRequest } from './request.ts';
import { createToolRegistry } from './tools.ts';
import { createToolsFeature } from './tools-feature.ts';
import { createSchemaValidator } from './validation.ts';

/** A req from a source other than a 2025 connection, as a stateless era would build one. */
function statelessRequest(input: ServerRequest['input']): ServerRequest {
  return createServerRequest({
    method: 'tools/call', requestId: 'r1', protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {} },
    clientInfo: { name: 'c', version: '1' }, signal: new AbortController().signal,
  }, { notify: async () => {}, progress: async () => {}, input });
}

const validator = createSchemaValidator();
const ASK: ElicitParams = { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } };

/** The tools feature in a table of its own, with a tool that elicits and one that fails. */
function table() {
  const tools = createToolRegistry(validator, () => {});
  tools.add({ name: 'ask' }, async (_args, ctx) => {
    const answer = await ctx.elicit(ASK);
    return `got ${JSON.stringify(answer.content)}`;
  });
  tools.add({ name: 'ask_and_catch_nothing' }, async (_args, ctx) => {
    await ctx.listRoots();
    return 'roots listed';
  });
  const methods = new MethodTable();
  createToolsFeature({ tools, pageSize: 10, context: (req) => createToolContext(req, DEFAULT_ASK_TIMEOUTS, validator) }).register(methods);
  const call = (name: string, req: ServerRequest) => methods.dispatch({ name, arguments: {} }, req, { tools: {} }) as Promise<CallToolResult>;
  return { call };
}

const seam = suite('input seam: req.input() carries every question a handler asks');

seam('ctx.elicit() asks through req.input() with the elicit timeout, and returns its answer', async () => {
  const asked: Array<{ request: InputRequest; timeoutMs: number | undefined }> = [];
  const req = statelessRequest(async (request, options) => {
    asked.push({ request, timeoutMs: options?.timeoutMs });
    return { action: 'accept', content: { name: 'Ada' } } as never;
  });
  const result = await table().call('ask', req);
  assert.equal(result.content, [{ type: 'text', text: 'got {"name":"Ada"}' }]);
  assert.equal(asked, [{ request: { method: 'elicitation/create', params: ASK }, timeoutMs: DEFAULT_ASK_TIMEOUTS.elicitTimeoutMs }]);
});

seam('"input required" passes through tool error wrapping; any other failure is still the tool\'s isError', async () => {
  const { call } = table();
  const required = statelessRequest(async (request) => { throw new InputRequiredError([request]); });
  for (const tool of ['ask', 'ask_and_catch_nothing']) {
    try {
      await call(tool, required);
      assert.unreachable(`${tool} turned "input required" into a result`);
    } catch (error) {
      assert.instance(error, InputRequiredError);
      assert.is((error as InputRequiredError).code, LocalErrorCode.InputRequired);
      assert.is((error as InputRequiredError).requests.length, 1);
    }
  }
  const failing = statelessRequest(async () => { throw new Error('client went away'); });
  assert.equal(await call('ask', failing), { content: [{ type: 'text', text: 'client went away' }], isError: true });
});

seam.run();
