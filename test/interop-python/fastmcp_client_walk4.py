"""FastMCP's client against test/peer-walk4-server.ts (session 26), as py_client_walk4.py does
with the Python SDK's: tools/list page by page with the cursor (list_tools_mcp), every page
(list_tools), progress with a message, a JSON-RPC error carrying data, two input rounds.
Prints "ERA v", then "OK <step>" or "FAIL <step> <why>".
Usage: fastmcp_client_walk4.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from mcp.shared.exceptions import MCPError
from walk_steps import step

mode = sys.argv[1]
target = sys.argv[2] if sys.argv[2] != '--' else StdioTransport(command=sys.argv[3], args=sys.argv[4:], keep_alive=False)


async def elicit(message, response_type, params, context):
    return {'name': message.rstrip('?')}


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


async def main():
    async with Client(target, mode=mode, elicitation_handler=elicit, timeout=60) as c:
        print(f'ERA {c.session.protocol_version}', flush=True)

        async def pages():
            names, cursor = [], None
            for _ in range(10):
                page = await c.list_tools_mcp(cursor=cursor)
                names.append([t.name for t in page.tools])
                cursor = page.next_cursor
                if not cursor:
                    break
            return names
        await step('tools/list page by page', pages,
                   lambda n: None if n == [['steps', 'fails'], ['twice', 't4'], ['t5']] else str(n))
        await step('every page', c.list_tools,
                   lambda t: None if [x.name for x in t] == ['steps', 'fails', 'twice', 't4', 't5'] else str([x.name for x in t]))
        seen = []

        async def progress(p, total, message):
            seen.append((p, total, message))
        await step('progress', lambda: c.call_tool('steps', {'n': 3}, progress_handler=progress),
                   lambda r: None if text_of(r) == 'did 3' and seen == [(1, 3, 'step 1'), (2, 3, 'step 2'), (3, 3, 'step 3')] else f'{text_of(r)} {seen}')

        async def fails():
            try:
                await c.call_tool('fails', {})
                return 'no error'
            except MCPError as e:
                return (e.code, e.message, e.data)
            except Exception as e:
                return f'{type(e).__name__}: {e}'
        await step('error with data', fails,
                   lambda r: None if r == (4001, 'the gauge is broken', {'gauge': 7, 'why': ['cold', 'ünïcode']}) else str(r))
        await step('two rounds', lambda: c.call_tool('twice', {}), lambda r: None if text_of(r) == 'First+Second' else text_of(r))


anyio.run(main)
