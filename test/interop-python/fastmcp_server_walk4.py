"""FastMCP's server for the fifth peer walk (session 26), the shape of py_server_walk4.py written
FastMCP's way: tools/list in pages of two (list_page_size), progress with a message, a tool that
raises an MCPError carrying data (FastMCP makes it an isError result), two InputRequiredResult
rounds by its guard pattern (ctx.input_responses / ctx.request_state), one that echoes _meta.
Usage: fastmcp_server_walk4.py stdio | fastmcp_server_walk4.py http PORT."""
import sys, json
from fastmcp import FastMCP, Context
from mcp.shared.exceptions import MCPError
from walk4_shared import ERROR, two_rounds

mcp = FastMCP('fastmcp-walk4', list_page_size=2)


@mcp.tool
async def steps(n: int, ctx: Context) -> str:
    """Reports n progress steps."""
    for i in range(1, n + 1):
        await ctx.report_progress(i, n, f'step {i}')
    return f'did {n}'


@mcp.tool
def fails() -> str:
    """Raises an MCPError carrying data."""
    raise MCPError(*ERROR)


@mcp.tool
def rounds(ctx: Context) -> str:
    """Two InputRequiredResult rounds in a row, requestState between them."""
    return two_rounds(ctx.request_state, ctx.input_responses)


@mcp.tool
def meta(ctx: Context) -> str:
    """Echoes the request's _meta."""
    m = ctx.request_context.meta
    return json.dumps(m.model_dump(by_alias=True, exclude_none=True) if hasattr(m, 'model_dump') else m, sort_keys=True, default=str)


@mcp.tool
def t5() -> str:
    """Filler for the pages."""
    return 't5'


if __name__ == '__main__':
    if sys.argv[1] == 'stdio':
        mcp.run(show_banner=False)
    else:
        mcp.run(transport='http', host='127.0.0.1', port=int(sys.argv[2]), show_banner=False)
