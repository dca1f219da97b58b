"""The Python SDK's high-level server (MCPServer) for run.ts: tools with progress, logs,
elicitation, sampling and roots (resolvers: both eras), resources, a template, a prompt,
completions and list changes. Usage: py_server.py stdio | py_server.py http PORT."""
import sys, anyio
from typing import Annotated
from pydantic import BaseModel
from mcp.server.mcpserver import MCPServer, Context
from mcp.server.mcpserver import Resolve, Elicit, Sample, ListRoots
import mcp_types as types

mcp = MCPServer('py-interop', version='1.2.3', instructions='python peer')

@mcp.tool()
def add(a: int, b: int) -> int:
    """Adds two numbers."""
    return a + b

@mcp.tool()
async def count(steps: int, ctx: Context) -> str:
    """Counts with progress and logs."""
    for i in range(1, steps + 1):
        await ctx.report_progress(i, steps, f'step {i}')
        await ctx.info(f'at {i}')
    return f'counted {steps}'

@mcp.tool()
async def slow(seconds: float) -> str:
    """Sleeps."""
    await anyio.sleep(seconds)
    return 'slept'

class Name(BaseModel):
    name: str

def ask_name() -> Elicit[Name]:
    return Elicit('What is your name?', Name)

@mcp.tool()
def greet(who: Annotated[Name, Resolve(ask_name)]) -> str:
    """Elicits a name."""
    return f'Hello, {who.name}!'

def ask_model():
    return Sample([types.SamplingMessage(role='user', content=types.TextContent(type='text', text='Say hi'))], max_tokens=20)

@mcp.tool()
def summarize(res: Annotated[types.CreateMessageResult, Resolve(ask_model)]) -> str:
    """Samples."""
    return 'model said: ' + (res.content.text if hasattr(res.content, 'text') else str(res.content))

def get_roots():
    return ListRoots()

@mcp.tool()
def roots(r: Annotated[types.ListRootsResult, Resolve(get_roots)]) -> str:
    """Lists roots."""
    return ','.join(str(x.uri) for x in r.roots)

@mcp.tool()
async def change(ctx: Context) -> str:
    """Notifies list changes."""
    await ctx.notify_tools_changed()
    await ctx.notify_resource_updated('data://static')
    return 'changed'

@mcp.resource('data://static', mime_type='text/plain')
def static() -> str:
    """A static resource."""
    return 'static text'

@mcp.resource('data://items/{item_id}', mime_type='application/json')
def item(item_id: str) -> str:
    """Items by id."""
    return '{"id": "%s"}' % item_id

@mcp.prompt()
def review(code: str, style: str = 'short') -> str:
    """Review code."""
    return f'Review this ({style}): {code}'

@mcp.completion()
async def complete(ref, argument, context):
    if argument.name == 'style':
        return types.Completion(values=[v for v in ['short', 'long', 'strict'] if v.startswith(argument.value)])
    if argument.name == 'item_id':
        return types.Completion(values=[v for v in ['1', '12', '123'] if v.startswith(argument.value)])
    return None

if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        mcp.run('streamable-http', port=int(sys.argv[2]), **({'stateless_http': True} if 'stateless' in sys.argv else {}), **({'json_response': True} if 'json' in sys.argv else {}))
    else:
        mcp.run('stdio')
