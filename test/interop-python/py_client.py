"""The Python SDK's client for run.ts: walks one mcpwire server and prints one line per step,
"OK <step>" or "FAIL <step> <why>". Usage: py_client.py MODE (URL | -- COMMAND ARGS...),
MODE being auto (2026-07-28 when the server offers it) or legacy (initialize)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk_steps import form_answer, step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
seen = {'progress': 0, 'log': 0, 'elicit': 0, 'sample': 0}


async def elicit(ctx, params):
    seen['elicit'] += 1
    return types.ElicitResult(action='accept', content=form_answer(getattr(params, 'requested_schema', None)))


async def sample(ctx, params):
    seen['sample'] += 1
    return types.CreateMessageResult(role='assistant', content=types.TextContent(type='text', text='sampled'), model='py')


async def roots(ctx):
    return types.ListRootsResult(roots=[types.Root(uri='file:///tmp/interop', name='interop')])


async def log(params):
    seen['log'] += 1


async def progress(p, total, message):
    seen['progress'] += 1


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


def not_error(result):
    return f'isError: {text_of(result)}' if result.is_error else None


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, sampling_callback=sample,
                      list_roots_callback=roots, logging_callback=log, log_level='debug', read_timeout_seconds=60) as c:
        print(f'ERA {c.protocol_version}', flush=True)
        tools = {t.name for t in (await c.list_tools()).tools}
        if 'add' in tools:  # py_server.py, for the trace walk
            await step('call add', lambda: c.call_tool('add', {'a': 1, 'b': 2}), not_error)
            await step('progress', lambda: c.call_tool('count', {'steps': 2}, progress_callback=progress), not_error)
            await step('elicitation', lambda: c.call_tool('greet', {}), not_error)
            await step('sampling', lambda: c.call_tool('summarize', {}), not_error)
            await step('roots', lambda: c.call_tool('roots', {}), not_error)
            await step('resources/read', lambda: c.read_resource('data://items/7'), lambda r: None if r.contents else 'empty')
            return
        if 'count' in tools:  # mcpwire serve (the demo tools)
            await step('call echo', lambda: c.call_tool('echo', {'text': 'hi'}), lambda r: None if text_of(r) == 'hi' else text_of(r))
            before = seen['progress']
            await step('progress', lambda: c.call_tool('count', {'steps': 3}, progress_callback=progress),
                       lambda r: None if seen['progress'] - before == 3 else f'{seen["progress"] - before} progress notifications')
            await step('elicitation', lambda: c.call_tool('ask_user', {'question': 'ok?'}), not_error)
            await step('sampling', lambda: c.call_tool('summarize', {'text': 'a long text ' * 5}), not_error)
            with anyio.move_on_after(0.5):
                await c.call_tool('count', {'steps': 20, 'delayMs': 200})
            await step('call after a cancel', lambda: c.call_tool('echo', {'text': 'still'}), lambda r: None if text_of(r) == 'still' else text_of(r))
            return
        # mcpwire serve --fixtures
        await step('call test_simple_text', lambda: c.call_tool('test_simple_text', {}), not_error)
        await step('progress', lambda: c.call_tool('test_tool_with_progress', {}, progress_callback=progress), lambda r: None if seen['progress'] >= 3 else 'no progress')
        logs = seen['log']
        await step('logging', lambda: c.call_tool('test_tool_with_logging', {}), lambda r: None if seen['log'] > logs else 'no log message')
        for name in ('test_input_required_result_elicitation', 'test_input_required_result_sampling', 'test_input_required_result_list_roots', 'test_input_required_result_multi_round'):
            if name in tools:
                await step(name, lambda name=name: c.call_tool(name, {}), not_error)
        await step('elicitation with defaults', lambda: c.call_tool('test_elicitation_sep1034_defaults', {}), not_error)
        await step('resources/list', lambda: c.list_resources(), lambda r: None if r.resources else 'none')
        await step('resources/templates/list', lambda: c.list_resource_templates(), lambda r: None if r.resource_templates else 'none')
        await step('resources/read', lambda: c.read_resource('test://static-text'), lambda r: None if r.contents else 'empty')
        await step('resources/read template', lambda: c.read_resource('test://template/123/data'), lambda r: None if '123' in r.contents[0].text else r.contents[0].text)
        await step('prompts/get', lambda: c.get_prompt('test_prompt_with_arguments', {'arg1': 'a', 'arg2': 'b'}), lambda r: None if r.messages else 'empty')
        await step('completion/complete', lambda: c.complete(types.PromptReference(type='ref/prompt', name='test_prompt_with_arguments'), {'name': 'arg1', 'value': 'pa'}),
                   lambda r: None if r.completion.values == ['paris', 'park', 'party'] else str(r.completion.values))
        if c.protocol_version >= '2026':
            async def listened():
                async with c.listen(tools_list_changed=True) as sub:
                    await c.call_tool('test_trigger_tool_change', {})
                    with anyio.fail_after(10):
                        async for event in sub:
                            return event
            await step('subscriptions/listen', listened, lambda e: None if type(e).__name__ == 'ToolsListChanged' else str(e))
        else:
            await step('logging/setLevel', lambda: c.set_logging_level('info'))
            await step('resources/subscribe', lambda: c.subscribe_resource('test://watched-resource'))
            await step('ping', lambda: c.send_ping())


anyio.run(main)
