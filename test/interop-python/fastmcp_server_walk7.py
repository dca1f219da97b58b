"""FastMCP 4.0.10's server for the seventh peer walk (session 29): an agent-like tool that, over
one call, reports progress, asks a question (elicitation), ends its SSE stream (HTTP: the event
store keeps what follows; the priming event's retry is 300 ms), asks the client's model
(sampling), then reports the rest of its steps slowly, so a host can be dropped and resumed
mid-call. 2025-11-25 only (FastMCP asks by server-to-client requests).
Usage: fastmcp_server_walk7.py stdio | fastmcp_server_walk7.py http PORT."""
import sys, anyio, uvicorn
from dataclasses import dataclass
from fastmcp import FastMCP, Context
from fastmcp.server.event_store import EventStore
import mcp_types as types

mcp = FastMCP('fastmcp-walk7')


@dataclass
class Go:
    go: bool = True


@mcp.tool
async def agent(steps: int, ctx: Context) -> str:
    """An agent turn: plan, ask, think (sampling), then `steps` slow steps of work."""
    await ctx.report_progress(0, steps, 'planning ✓')
    answer = await ctx.elicit('Go on? ¿Seguir?', Go)
    if answer.action != 'accept' or not answer.data.go:
        return 'stopped'
    await ctx.close_sse_stream()
    reply = await ctx.session.create_message(
        messages=[types.SamplingMessage(role='user', content=types.TextContent(type='text', text='Plan the trip in 1 sentence. Paris is lovely. Rome is old.'))],
        max_tokens=40, related_request_id=ctx.request_id)
    plan = reply.content.text if isinstance(reply.content, types.TextContent) else '?'
    for i in range(1, steps + 1):
        await ctx.report_progress(i, steps, f'step {i} 𝔘')
        await anyio.sleep(0.1)
    return f'agent done: {plan}'


if __name__ == '__main__':
    if sys.argv[1] == 'stdio':
        mcp.run(show_banner=False)
    else:
        app = mcp.http_app(event_store=EventStore(), retry_interval=300)
        uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')
