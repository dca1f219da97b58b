"""The Python SDK's client against test/peer-walk4-server.ts (session 25): tools/list page by
page with the cursor, progress, a JSON-RPC error carrying data, two input rounds in a row.
Prints "OK <step>" or "FAIL <step> <why>".
Usage: py_client_walk4.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError
import mcp_types as types
from walk_steps import step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])


async def elicit(ctx, params):
    return types.ElicitResult(action='accept', content={'name': params.message.rstrip('?')})


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, read_timeout_seconds=60) as c:
        print(f'ERA {c.protocol_version}', flush=True)

        async def pages():
            names, cursor, count = [], None, 0
            while count < 10:
                count += 1
                page = await c.list_tools(cursor=cursor, cache_mode='bypass') if hasattr(c, 'list_tools') else None
                names.append([t.name for t in page.tools])
                cursor = page.next_cursor
                if not cursor:
                    break
            return names
        await step('tools/list page by page', pages,
                   lambda n: None if n == [['steps', 'fails'], ['twice', 't4'], ['t5']] else str(n))
        seen = []

        async def progress(p, total, message):
            seen.append((p, total, message))
        await step('progress', lambda: c.call_tool('steps', {'n': 3}, progress_callback=progress),
                   lambda r: None if text_of(r) == 'did 3' and seen == [(1, 3, 'step 1'), (2, 3, 'step 2'), (3, 3, 'step 3')] else f'{text_of(r)} {seen}')

        async def fails():
            try:
                await c.call_tool('fails', {})
                return 'no error'
            except MCPError as e:
                return (e.code, e.message, e.data)
        await step('error with data', fails,
                   lambda r: None if r == (4001, 'the gauge is broken', {'gauge': 7, 'why': ['cold', 'ünïcode']}) else str(r))
        await step('two rounds', lambda: c.call_tool('twice', {}), lambda r: None if text_of(r) == 'First+Second' else text_of(r))


anyio.run(main)
