"""A FastMCP server for fastmcp.ts: tools with progress and a log, a form, a resource, a
template and a prompt, written the way FastMCP's documentation shows. Usage:
fastmcp_server.py stdio | fastmcp_server.py http PORT."""
import sys
from dataclasses import dataclass
from fastmcp import FastMCP, Context

mcp = FastMCP('fastmcp-peer')


@mcp.tool
def add(a: int, b: int) -> int:
    """Adds two numbers."""
    return a + b


@mcp.tool
async def count(steps: int, ctx: Context) -> str:
    """Counts, reporting progress, then logs."""
    for i in range(1, steps + 1):
        await ctx.report_progress(i, steps)
    await ctx.info('counted')
    return f'counted {steps}'


@dataclass
class Person:
    name: str


@mcp.tool
async def greet(ctx: Context) -> str:
    """Asks the user's name (a form)."""
    result = await ctx.elicit('Who are you?', response_type=Person)
    return f'hello {result.data.name}' if result.action == 'accept' else result.action


@mcp.resource('data://readme')
def readme() -> str:
    return 'read me'


@mcp.resource('data://items/{item_id}')
def item(item_id: str) -> str:
    return f'item {item_id}'


@mcp.prompt
def review(path: str) -> str:
    return f'Review {path}.'


if __name__ == '__main__':
    if sys.argv[1] == 'stdio':
        mcp.run(show_banner=False)
    else:
        mcp.run(transport='http', host='127.0.0.1', port=int(sys.argv[2]), show_banner=False)
