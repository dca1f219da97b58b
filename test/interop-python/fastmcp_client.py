"""FastMCP's client for fastmcp.ts: walks `mcpwire serve --fixtures` and prints "ERA v", then one
line per step, "OK <step>" or "FAIL <step> <why>". Usage: fastmcp_client.py MODE URL, MODE auto
(2026-07-28 when the server offers it) or legacy."""
import sys, anyio
from fastmcp import Client
import mcp_types as types
from walk_steps import form_answer, step

mode, url = sys.argv[1], sys.argv[2]
seen = {'progress': 0, 'log': 0}


async def elicit(message, response_type, params, context):
    return form_answer(getattr(params, 'requested_schema', None))


async def sample(messages, params, context):
    return 'sampled'


async def log(message):
    seen['log'] += 1


async def progress(p, total, message):
    seen['progress'] += 1


def not_error(result):
    return f'isError: {result.content}' if result.is_error else None


async def main():
    async with Client(url, mode=mode, elicitation_handler=elicit, sampling_handler=sample, log_handler=log,
                      roots=['file:///tmp/interop'], timeout=60) as c:
        print(f'ERA {c.session.protocol_version}', flush=True)
        tools = {t.name for t in await c.list_tools()}
        await step('call test_simple_text', lambda: c.call_tool('test_simple_text', {}), not_error)
        await step('progress', lambda: c.call_tool('test_tool_with_progress', {}, progress_handler=progress),
                   lambda r: None if seen['progress'] >= 3 else 'no progress')
        logs = seen['log']
        await step('logging', lambda: c.call_tool('test_tool_with_logging', {}), lambda r: None if seen['log'] > logs else 'no log message')
        for name in ('test_elicitation', 'test_sampling', 'test_input_required_result_elicitation', 'test_input_required_result_sampling',
                     'test_input_required_result_list_roots', 'test_input_required_result_multi_round', 'test_elicitation_sep1034_defaults'):
            if name in tools:
                args = {'prompt': 'hi', 'message': 'hi'} if name in ('test_elicitation', 'test_sampling') else {}
                await step(name, lambda name=name, args=args: c.call_tool(name, args), not_error)
        await step('resources/list', lambda: c.list_resources(), lambda r: None if r else 'none')
        await step('resources/read template', lambda: c.read_resource('test://template/123/data'), lambda r: None if '123' in r[0].text else r[0].text)
        await step('prompts/get', lambda: c.get_prompt('test_prompt_with_arguments', {'arg1': 'a', 'arg2': 'b'}), lambda r: None if r.messages else 'empty')
        await step('completion/complete', lambda: c.complete(types.PromptReference(type='ref/prompt', name='test_prompt_with_arguments'), {'name': 'arg1', 'value': 'pa'}),
                   lambda r: None if r.values == ['paris', 'park', 'party'] else str(r.values))


anyio.run(main)
