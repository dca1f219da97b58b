"""The Python SDK's client against test/peer-walk2-server.ts (session 23): several inputs in one
InputRequiredResult, two rounds (requestState), subscriptions/listen with a resource and the tool
list (2026-07-28), a cancel while the client is answering a form, an x-mcp-header argument, and a
call after each. Prints "OK <step>" or "FAIL <step> <why>".
Usage: py_client_walk2.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk_steps import cancel_mid_form, step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
hold = {'form': None, 'asked': 0}


async def elicit(ctx, params):
    hold['asked'] += 1
    if hold['form'] is not None:  # the cancel step: the form stays open until the call is cancelled
        hold['form'].set()
        await anyio.sleep(30)
    return types.ElicitResult(action='accept', content={'name': params.message.rstrip('?')})


async def sample(ctx, params):
    return types.CreateMessageResult(role='assistant', content=types.TextContent(type='text', text='m'), model='py')


async def roots(ctx):
    return types.ListRootsResult(roots=[types.Root(uri='file:///srv/a', name='a'), types.Root(uri='file:///srv/b', name='b')])


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


def expect(value):
    return lambda r: None if text_of(r) == value and not r.is_error else f'got {text_of(r)!r}'


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, sampling_callback=sample,
                      list_roots_callback=roots, read_timeout_seconds=60) as c:
        print(f'ERA {c.protocol_version}', flush=True)
        await step('three inputs at once', lambda: c.call_tool('trio', {}), expect('Name|m|2'))
        await step('two rounds', lambda: c.call_tool('twice', {}), expect('First+Second'))
        await step('x-mcp-header argument', lambda: c.call_tool('routed', {'region': 'eu-west ü', 'n': 7}), expect('eu-west ü/7'))
        if c.protocol_version >= '2026':
            async def listened():
                seen = set()
                async with c.listen(tools_list_changed=True, resource_subscriptions=['data://watched']) as sub:
                    await c.call_tool('touch', {})
                    with anyio.fail_after(10):
                        async for event in sub:
                            seen.add(type(event).__name__)
                            if len(seen) == 2:
                                break
                return seen
            await step('listen: list_changed and resources/updated', listened,
                       lambda s: None if s == {'ToolsListChanged', 'ResourceUpdated'} else str(s))
            await step('read after update', lambda: c.read_resource('data://watched'), lambda r: None if r.contents[0].text == 'version 1' else r.contents[0].text)

        async def call_twice():
            await c.call_tool('twice', {})
        await step('cancel while answering a form', lambda: cancel_mid_form(hold, call_twice), lambda timed_out: 'timed out' if timed_out else None)
        await step('call after it', lambda: c.call_tool('twice', {}), expect('First+Second'))


anyio.run(main)
