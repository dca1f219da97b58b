"""The Python SDK's client under `mcpwire check --client` (session 33): it declares sampling, with
sampling.tools or without, and its model uses the first offered tool unless toolChoice is "none".
Calls check_ask first (the scripted server expires the session after the first call), then the
other tools. Read by hand (not part of run.ts).
Usage: py_client_walk18.py MODE tools|no-tools (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk6_shared import out, step

mode, tools = sys.argv[1], sys.argv[2] == 'tools'
server = sys.argv[3] if sys.argv[3] != '--' else StdioServerParameters(command=sys.argv[4], args=sys.argv[5:])


async def sample(ctx, params):
    offered = params.tools or []
    if offered and not (params.tool_choice and params.tool_choice.mode == 'none'):
        return types.CreateMessageResultWithTools(role='assistant', model='py', stop_reason='toolUse',
                                                  content=[types.ToolUseContent(type='tool_use', id='u1', name=offered[0].name, input={})])
    return types.CreateMessageResult(role='assistant', content=types.TextContent(type='text', text='ok'), model='py')


async def elicit(ctx, params):
    return types.ElicitResult(action='accept', content={'name': 'py'})


async def main():
    caps = types.SamplingCapability(tools=types.SamplingToolsCapability()) if tools else types.SamplingCapability()
    async with Client(server, mode=mode, sampling_callback=sample, sampling_capabilities=caps, elicitation_callback=elicit, read_timeout_seconds=30) as c:
        out('ERA', c.protocol_version)
        names = sorted([t.name for t in (await c.list_tools()).tools], key=lambda n: n != 'check_ask')
        for name in names:
            async def call():
                r = await c.call_tool(name, {})
                return [getattr(b, 'text', b) for b in r.content]
            await step(name, call)


anyio.run(main)
