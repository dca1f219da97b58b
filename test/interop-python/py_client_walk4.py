"""The Python SDK's client against test/peer-walk4-server.ts (session 25): tools/list page by
page with the cursor, progress, a JSON-RPC error carrying data, two input rounds in a row.
Prints "OK <step>" or "FAIL <step> <why>".
Usage: py_client_walk4.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk4_shared import call_steps, pages_step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])


async def elicit(ctx, params):
    return types.ElicitResult(action='accept', content={'name': params.message.rstrip('?')})


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, read_timeout_seconds=60) as c:
        print(f'ERA {c.protocol_version}', flush=True)

        await pages_step(lambda cursor: c.list_tools(cursor=cursor, cache_mode='bypass'))
        await call_steps(c.call_tool, 'progress_callback')


anyio.run(main)
