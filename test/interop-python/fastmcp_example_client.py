"""A FastMCP client written the way its documentation shows: connect over Streamable HTTP,
list the tools, call each, answer forms and model requests, close. What `mcpwire check
--client` runs in fastmcp.ts. Usage: fastmcp_example_client.py MODE URL (MODE auto or legacy)."""
import sys, anyio
from fastmcp import Client


async def elicit(message, response_type, params, context):
    return {key: 'yes' for key in (getattr(params, 'requested_schema', None) or {}).get('properties', {})}


async def sample(messages, params, context):
    return 'sampled'


async def main():
    async with Client(sys.argv[2], mode=sys.argv[1], elicitation_handler=elicit, sampling_handler=sample,
                      roots=['file:///tmp/interop'], timeout=30) as client:
        for tool in await client.list_tools():
            try:
                result = await client.call_tool(tool.name, {}, raise_on_error=False)
                print(f'{tool.name}: {str(result.content)[:80]}', flush=True)
            except Exception as error:  # a tool the scripted server refuses; what was sent is checked
                print(f'{tool.name}: {type(error).__name__}: {error}', flush=True)


anyio.run(main)
