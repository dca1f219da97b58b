"""FastMCP's server for the sixth peer walk (session 27), probed by walk6-probe.ts: resources in
pages of two (a template, a binary blob), a prompt with arguments and completion, logs at each
level, progress with total and message, a tool named with astral and combining characters' text,
a quick tool for cancels that race its result, 1 M characters of text.
Usage: fastmcp_server_walk6.py stdio | fastmcp_server_walk6.py http PORT."""
import sys, asyncio
from fastmcp import FastMCP, Context
import mcp_types

mcp = FastMCP('fm-walk6', list_page_size=2)

@mcp.tool
async def logs(ctx: Context) -> str:
    """Logs once at each level."""
    await ctx.debug('d-msg'); await ctx.info('i-msg'); await ctx.warning('w-msg'); await ctx.error('e-msg')
    return 'logged'

@mcp.tool
async def steps(n: int, ctx: Context) -> str:
    for i in range(1, n + 1):
        await ctx.report_progress(i, n, f'étape {i} 𝄞')
    return f'did {n}'

@mcp.tool
async def quick(x: int) -> int:
    return x

@mcp.tool
async def slow(ms: int) -> str:
    await asyncio.sleep(ms / 1000)
    return 'slept'

@mcp.tool(name='écho_𝔘')
def echo_unicode(texte: str) -> str:
    return texte

@mcp.tool
def big(n: int) -> str:
    return ('é😀a' * n)[: n]

@mcp.resource('data://blob', mime_type='application/octet-stream')
def blob() -> bytes:
    return bytes(range(256)) * 4

@mcp.resource('data://items/{name}')
def item(name: str) -> str:
    return f'item={name}'

def _make(i):
    def read() -> str:
        return f'r{i}'
    return read

for i in range(5):
    mcp.resource(f'data://r{i}', name=f'r{i}')(_make(i))

@mcp.prompt
def poem(theme: str, style: str = 'free') -> str:
    return f'Write a {style} poem about {theme}'

@mcp.completion
def complete(ref, argument, context):
    if argument.name == 'theme':
        return [o for o in ['nature', 'naïve', 'nuit 🌙', 'love'] if o.startswith(argument.value)]
    if argument.name == 'name':
        return ['α', 'β', 'e\u0301']
    return None

if __name__ == '__main__':
    if sys.argv[1] == 'stdio':
        mcp.run(show_banner=False)
    else:
        mcp.run(transport='http', host='127.0.0.1', port=int(sys.argv[2]), show_banner=False)
