"""FastMCP's client against test/peer-walk2-server.ts (session 23), over stdio or HTTP: three
inputs in one InputRequiredResult, two rounds (requestState), an x-mcp-header argument, a cancel
while the client is answering a form, and a call after it. Prints "ERA v", then "OK <step>" or
"FAIL <step> <why>". Usage: fastmcp_client_walk2.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from walk_steps import cancel_mid_form, step

mode = sys.argv[1]
target = sys.argv[2] if sys.argv[2] != '--' else StdioTransport(command=sys.argv[3], args=sys.argv[4:], keep_alive=False)
hold = {'form': None}


async def elicit(message, response_type, params, context):
    if hold['form'] is not None:  # the cancel step: the form stays open until the call is cancelled
        hold['form'].set()
        await anyio.sleep(30)
    return {'name': message.rstrip('?')}


async def sample(messages, params, context):
    return 'm'


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


def expect(value):
    return lambda r: None if text_of(r) == value and not r.is_error else f'got {text_of(r)!r}'


async def main():
    async with Client(target, mode=mode, elicitation_handler=elicit, sampling_handler=sample,
                      roots=['file:///srv/a', 'file:///srv/b'], timeout=60) as c:
        print(f'ERA {c.session.protocol_version}', flush=True)
        await step('three inputs at once', lambda: c.call_tool('trio', {}), expect('Name|m|2'))
        await step('two rounds', lambda: c.call_tool('twice', {}), expect('First+Second'))
        await step('x-mcp-header argument', lambda: c.call_tool('routed', {'region': 'eu-west ü', 'n': 7}), expect('eu-west ü/7'))

        async def call_twice():
            await c.call_tool('twice', {})
        await step('cancel while answering a form', lambda: cancel_mid_form(hold, call_twice), lambda timed_out: 'timed out' if timed_out else None)
        await step('call after it', lambda: c.call_tool('twice', {}), expect('First+Second'))


anyio.run(main)
