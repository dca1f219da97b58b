"""The Python SDK's MCPServer for the seventh peer walk (walk7-probe.ts, session 29): caching
hints on the lists (tools/list public 60 s, prompts/list 0), a count of the lists it served, a
legacy call that ends its SSE stream after a progress (the event store keeps the rest; the
priming event's retry is RETRY ms), a call that ends the standalone GET stream and then changes
the tool list, and an agent-like tool: progress, a question, a sampling request, progress.
Usage: py_server_walk7.py stdio | py_server_walk7.py http PORT [RETRY]."""
import os, sys, anyio
from pydantic import BaseModel
from mcp.server.mcpserver import MCPServer, Context
from mcp.server.caching import CacheHint
from py_server_hard import MemoryEvents, cut
import mcp_types as types

counts = {'tools/list': 0, 'prompts/list': 0}


class Counted(MCPServer):
    async def _handle_list_tools(self, ctx, params):
        counts['tools/list'] += 1
        return await super()._handle_list_tools(ctx, params)

    async def _handle_list_prompts(self, ctx, params):
        counts['prompts/list'] += 1
        return await super()._handle_list_prompts(ctx, params)


mcp = Counted('py-walk7', version='1', cache_hints={
    'tools/list': CacheHint(ttl_ms=60_000, scope='public'),
    'prompts/list': CacheHint(ttl_ms=0),
})


@mcp.prompt()
def hello(who: str) -> str:
    return f'hello {who}'


@mcp.tool()
def lists() -> str:
    """How many tools/list and prompts/list requests were served."""
    return f'{counts["tools/list"]},{counts["prompts/list"]}'


async def changed(ctx: Context) -> None:
    """The tool list changed: to listens (2026-07-28) or on the session (2025-11-25)."""
    if ctx.protocol_version == '2026-07-28':
        await ctx.notify_tools_changed()
    else:
        await ctx.session.send_tool_list_changed()


@mcp.tool()
async def touch(ctx: Context) -> str:
    """Adds a tool and says the list changed."""
    mcp.add_tool(lambda: 'new', name=f'added{counts["tools/list"]}')
    await changed(ctx)
    return 'touched'


mcp.tool()(cut)  # hard's: ends its SSE stream after progress 1; the rest waits in the event store


@mcp.tool()
async def cut_get(ctx: Context) -> str:
    """Changes the tool list (an event with an id on the GET stream), ends the standalone GET
    stream, then changes the list again while the client is away."""
    await changed(ctx)
    await anyio.sleep(0.1)
    await ctx.close_standalone_sse_stream()
    await anyio.sleep(0.1)
    mcp.add_tool(lambda: 'late', name='late')
    await changed(ctx)
    return 'cut get'


@mcp.tool()
async def cut_get_first(ctx: Context) -> str:
    """Ends the standalone GET stream before any event on it, then changes the tool list."""
    await ctx.close_standalone_sse_stream()
    await anyio.sleep(0.1)
    mcp.add_tool(lambda: 'later', name='later')
    await changed(ctx)
    return 'cut get first'


@mcp.resource('data://secret/{name}', mime_type='text/plain')
def secret(name: str, ctx: Context):
    """A template read that asks first (2026-07-28: an InputRequiredResult from resources/read)."""
    answer = (ctx.input_responses or {}).get('pin')
    if answer is None:
        form = types.ElicitRequestFormParams(message=f'PIN for {name}?', requested_schema={
            'type': 'object', 'properties': {'pin': {'type': 'string'}}, 'required': ['pin']})
        return types.InputRequiredResult(input_requests={'pin': types.ElicitRequest(method='elicitation/create', params=form)})
    return f'secret of {name}: {answer.content["pin"]}'


class Go(BaseModel):
    go: bool


@mcp.tool()
async def agent(steps: int, ctx: Context) -> str:
    """An agent's turn (legacy): progress, a question, a sampling request, progress."""
    await ctx.report_progress(1, steps, 'planning')
    answer = await ctx.elicit('Go on?', Go)
    if answer.action != 'accept' or not answer.data.go:
        return 'stopped'
    reply = await ctx.session.create_message(
        [types.SamplingMessage(role='user', content=types.TextContent(type='text', text='plan?'))], max_tokens=20,
        related_request_id=ctx.request_id)
    for i in range(2, steps + 1):
        await ctx.report_progress(i, steps, f'step {i}')
    return f'agent: {reply.content.text}'


if os.environ.get('WALK7_EXTRA'):
    mcp.add_tool(lambda: 'extra', name='extra')  # the restarted server's tool list differs

if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        retry = int(sys.argv[3]) if len(sys.argv) > 3 else 100
        mcp.run('streamable-http', port=int(sys.argv[2]), event_store=MemoryEvents(), retry_interval=retry)
    else:
        mcp.run('stdio')
