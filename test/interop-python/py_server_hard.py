"""The Python SDK's MCPServer for hard.ts: what run.ts's walk leaves out. Lists paged (tools
by 3, resources by 5, prompts by 3), a 1 MB multibyte result, unicode titles and arguments, a
long call with progress and an elicitation mid-run (legacy), short calls to run at once, a
call that ends the SSE stream mid-run (an event store: the client resumes with Last-Event-ID).
Usage: py_server_hard.py stdio | py_server_hard.py http PORT."""
import sys, anyio
from pydantic import BaseModel
from mcp.server.mcpserver import MCPServer, Context
from mcp.server.streamable_http import EventStore, EventMessage
import mcp_types as types

BIG = 'αβγ😀x' * 95_000  # 475,000 characters, 1,045,000 UTF-8 bytes (sent twice: text and structuredContent)


class Paged(MCPServer):
    """MCPServer does not page its lists; this one does, by an opaque cursor (an offset)."""

    @staticmethod
    def page(items, params, size):
        start = int(params.cursor) if params is not None and params.cursor else 0
        if params is not None and params.cursor and not params.cursor.isdigit():
            raise ValueError('bad cursor')
        end = start + size
        return items[start:end], (str(end) if end < len(items) else None)

    async def _handle_list_tools(self, ctx, params):
        items, cursor = self.page(await self.list_tools(), params, 3)
        return types.ListToolsResult(tools=items, next_cursor=cursor)

    async def _handle_list_resources(self, ctx, params):
        items, cursor = self.page(await self.list_resources(), params, 5)
        return types.ListResourcesResult(resources=items, next_cursor=cursor)

    async def _handle_list_prompts(self, ctx, params):
        items, cursor = self.page(await self.list_prompts(), params, 3)
        return types.ListPromptsResult(prompts=items, next_cursor=cursor)


class MemoryEvents(EventStore):
    """Every event kept (the walk is short); ids are stream:index."""

    def __init__(self):
        self.events = []

    async def store_event(self, stream_id, message):
        self.events.append((stream_id, message))
        return f'{stream_id}:{len(self.events) - 1}'

    async def replay_events_after(self, last_event_id, send_callback):
        stream_id, _, index = last_event_id.rpartition(':')
        for i, (sid, message) in enumerate(self.events):
            if sid == stream_id and i > int(index) and message is not None:
                await send_callback(EventMessage(message, f'{sid}:{i}'))
        return stream_id


mcp = Paged('py-hard', version='1')


@mcp.tool(title='Écho ✓ 工具')
def echo(text: str) -> str:
    """Echoes unicode: 日本語, emoji 😀, combining é."""
    return f'«{text}»'


@mcp.tool()
def big() -> str:
    """A 1 MB multibyte text."""
    return BIG


class Go(BaseModel):
    go: bool


@mcp.tool()
async def long(steps: int, ctx: Context) -> str:
    """Progress each step; halfway it asks whether to go on (legacy: a mid-run elicitation)."""
    for i in range(1, steps + 1):
        await ctx.report_progress(i, steps, f'step {i} ✓')
        if i == steps // 2:
            answer = await ctx.elicit('Go on? ¿Seguir?', Go)
            if answer.action != 'accept' or not answer.data.go:
                return f'stopped at {i}'
        await anyio.sleep(0.05)
    return f'done {steps}'


@mcp.tool()
async def tick(n: int, ctx: Context) -> int:
    """Two progress steps then n back: many at once must each get their own."""
    await ctx.report_progress(1, 2, f'{n} a')
    await anyio.sleep(0.01 * (n % 5))
    await ctx.report_progress(2, 2, f'{n} b')
    return n


@mcp.tool()
async def cut(steps: int, ctx: Context) -> str:
    """Ends its SSE stream after the first progress; the rest is kept for the client's resume."""
    for i in range(1, steps + 1):
        await ctx.report_progress(i, steps)
        if i == 1:
            await ctx.close_sse_stream()
        await anyio.sleep(0.05)
    return f'cut {steps}'


@mcp.tool()
async def slow(seconds: float) -> str:
    """Sleeps."""
    await anyio.sleep(seconds)
    return 'slept'


def numbered(i):
    def read() -> str:
        return f'resource {i}'

    def prompt(topic: str) -> str:
        return f'{i}: {topic}'
    return read, prompt


for i in range(12):
    read, prompt = numbered(i)
    mcp.resource(f'data://r/{i}', name=f'r{i}-ñ', mime_type='text/plain')(read)
    if i < 7:
        mcp.prompt(name=f'p{i}', title=f'Prompt {i} ✓')(prompt)

if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        mcp.run('streamable-http', port=int(sys.argv[2]), event_store=MemoryEvents(), retry_interval=100)
    else:
        mcp.run('stdio')
