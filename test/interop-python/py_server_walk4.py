"""The Python SDK's MCPServer for the fourth peer walk (session 25): tools/list in pages of two
(a cursor across pages), a tool that reports progress, one that fails with a JSON-RPC error
carrying data, one that asks two InputRequiredResult rounds in a row by hand (requestState
between them), one that echoes the request's _meta.
Usage: py_server_walk4.py stdio | py_server_walk4.py http PORT."""
import sys, json
from mcp.server.mcpserver import MCPServer, Context
from mcp.shared.exceptions import MCPError
import mcp_types as types
from walk4_shared import ERROR, two_rounds

PAGE = 2


class PagedServer(MCPServer):
    async def _handle_list_tools(self, ctx, params):
        tools = await self.list_tools()
        start = int(params.cursor) if params is not None and params.cursor else 0
        end = start + PAGE
        return types.ListToolsResult(tools=tools[start:end], next_cursor=str(end) if end < len(tools) else None)


mcp = PagedServer('py-walk4', version='1.0.0')


@mcp.tool()
async def steps(n: int, ctx: Context) -> str:
    """Reports n progress steps."""
    for i in range(1, n + 1):
        await ctx.report_progress(i, n, f'step {i}')
    return f'did {n}'


@mcp.tool()
def fails() -> str:
    """Fails with a JSON-RPC error carrying data."""
    raise MCPError(*ERROR)


@mcp.tool()
def rounds(ctx: Context) -> types.CallToolResult | types.InputRequiredResult:
    """Two InputRequiredResult rounds in a row, requestState between them."""
    result = two_rounds(ctx.request_state, ctx.input_responses)
    return result if isinstance(result, types.InputRequiredResult) else types.CallToolResult(content=[types.TextContent(type='text', text=result)])


@mcp.tool()
def meta(ctx: Context) -> str:
    """Echoes the request's _meta."""
    m = ctx.request_context.meta
    return json.dumps(m.model_dump(by_alias=True, exclude_none=True) if hasattr(m, 'model_dump') else m, sort_keys=True, default=str)


@mcp.tool()
def t5() -> str:
    """Filler for the pages."""
    return 't5'


if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        mcp.run('streamable-http', port=int(sys.argv[2]))
    else:
        mcp.run('stdio')
