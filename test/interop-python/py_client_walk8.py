"""The Python SDK's client probing test/peer-walk8-server.ts (session 32): a URL-mode question,
sampling with a tool offered (its tool use, then the final text), roots, a structured result,
a tool error. Prints one line per step, read by hand (not part of run.ts).
Usage: py_client_walk8.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk6_shared import out, step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
asked = []


async def elicit(ctx, params):
    asked.append(params.model_dump(by_alias=True, exclude_none=True))
    return types.ElicitResult(action='accept')


async def sample(ctx, params):
    asked.append(('sample', len(params.messages), [t.name for t in params.tools or []], params.tool_choice and params.tool_choice.mode))
    if len(params.messages) == 1:
        return types.CreateMessageResultWithTools(role='assistant', model='py', stop_reason='toolUse',
                                                  content=[types.ToolUseContent(type='tool_use', id='u1', name='weather', input={'city': 'Paris'})])
    return types.CreateMessageResult(role='assistant', content=types.TextContent(type='text', text='It is sunny ☀'), model='py', stop_reason='endTurn')


async def roots(ctx):
    return types.ListRootsResult(roots=[types.Root(uri='file:///home/é/project', name='project')])


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, sampling_callback=sample,
                      sampling_capabilities=types.SamplingCapability(tools=types.SamplingToolsCapability()),
                      list_roots_callback=roots, read_timeout_seconds=60) as c:
        out('ERA', c.protocol_version)
        for name, args in [('sign_in', {}), ('plan', {}), ('roots', {}), ('forecast', {'city': 'Zürich'}), ('broken', {})]:
            asked.clear()

            async def call():
                r = await c.call_tool(name, args)
                return (r.is_error, [getattr(b, 'text', b) for b in r.content], r.structured_content)
            await step(name, call)
            if asked:
                out('  asked', asked)


anyio.run(main)
