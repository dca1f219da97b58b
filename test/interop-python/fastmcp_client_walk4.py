"""FastMCP's client against test/peer-walk4-server.ts (session 26), as py_client_walk4.py does
with the Python SDK's: tools/list page by page with the cursor (list_tools_mcp), every page
(list_tools), progress with a message, a JSON-RPC error carrying data, two input rounds.
Prints "ERA v", then "OK <step>" or "FAIL <step> <why>".
Usage: fastmcp_client_walk4.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from walk_steps import step
from walk4_shared import call_steps, pages_step

mode = sys.argv[1]
target = sys.argv[2] if sys.argv[2] != '--' else StdioTransport(command=sys.argv[3], args=sys.argv[4:], keep_alive=False)


async def elicit(message, response_type, params, context):
    return {'name': message.rstrip('?')}


async def main():
    async with Client(target, mode=mode, elicitation_handler=elicit, timeout=60) as c:
        print(f'ERA {c.session.protocol_version}', flush=True)

        await pages_step(lambda cursor: c.list_tools_mcp(cursor=cursor))
        await step('every page', c.list_tools,
                   lambda t: None if [x.name for x in t] == ['steps', 'fails', 'twice', 't4', 't5'] else str([x.name for x in t]))
        await call_steps(c.call_tool, 'progress_handler')


anyio.run(main)
