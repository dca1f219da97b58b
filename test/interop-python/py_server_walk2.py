"""The Python SDK's MCPServer for the second peer walk (walk2.ts, session 23): three inputs in
one InputRequiredResult (Resolve), a tool whose arguments are mirrored into Mcp-Param headers,
a watched resource and a tool that changes it and the tool list, a call that waits to be
cancelled, and a tool that echoes the request's _meta.
Usage: py_server_walk2.py stdio | py_server_walk2.py http PORT."""
import sys, json, anyio
from typing import Annotated
from pydantic import BaseModel, Field
from mcp.server.mcpserver import MCPServer, Context
from mcp.server.mcpserver import Resolve, Elicit, Sample, ListRoots
import mcp_types as types

mcp = MCPServer('py-walk2', version='1.0.0')
state = {'version': 0, 'cancels': 0}


class Name(BaseModel):
    name: str


def ask_name() -> Elicit[Name]:
    return Elicit('Name?', Name)


def ask_model():
    return Sample([types.SamplingMessage(role='user', content=types.TextContent(type='text', text='hi'))], max_tokens=5)


def get_roots():
    return ListRoots()


@mcp.tool()
def trio(who: Annotated[Name, Resolve(ask_name)], model: Annotated[types.CreateMessageResult, Resolve(ask_model)],
         r: Annotated[types.ListRootsResult, Resolve(get_roots)]) -> str:
    """Three inputs at once."""
    return f'{who.name}|{model.content.text}|{len(r.roots)}'


@mcp.tool()
def routed(region: Annotated[str, Field(json_schema_extra={'x-mcp-header': 'Region'})],
           n: Annotated[int, Field(json_schema_extra={'x-mcp-header': 'N'})] = 0) -> str:
    """Echoes its region, mirrored into Mcp-Param-Region."""
    return f'{region}/{n}'


@mcp.resource('data://watched', mime_type='text/plain')
def watched() -> str:
    """A watched resource."""
    return f'version {state["version"]}'


@mcp.tool()
async def touch(ctx: Context) -> str:
    """Changes data://watched and the tool list."""
    state['version'] += 1
    await ctx.notify_tools_changed()
    await ctx.notify_resource_updated('data://watched')
    return f'touched {state["version"]}'


@mcp.tool()
async def slow(seconds: float) -> str:
    """Sleeps; counts the cancels it saw."""
    try:
        await anyio.sleep(seconds)
    except anyio.get_cancelled_exc_class():
        state['cancels'] += 1
        raise
    return 'slept'


@mcp.tool()
def cancels() -> str:
    """How many slow calls were cancelled."""
    return str(state['cancels'])


@mcp.tool()
def meta(ctx: Context) -> str:
    """Echoes the request's _meta."""
    m = ctx.request_context.meta
    return json.dumps(m.model_dump(by_alias=True, exclude_none=True) if hasattr(m, 'model_dump') else m, sort_keys=True, default=str)


if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        mcp.run('streamable-http', port=int(sys.argv[2]))
    else:
        mcp.run('stdio')
