"""FastMCP's client probing test/peer-walk6-server.ts (session 27), the steps of
py_client_walk6.py FastMCP's way. Prints one line per step, read by hand (not part of run.ts).
Usage: fastmcp_client_walk6.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio, base64
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
import mcp_types as types

mode = sys.argv[1]
target = sys.argv[2] if sys.argv[2] != '--' else StdioTransport(command=sys.argv[3], args=sys.argv[4:], keep_alive=False)
logs = []

async def on_log(m):
    logs.append((m.level, m.data))

def out(k, v):
    print(k, str(v)[:300], flush=True)

async def step(name, fn):
    try:
        out(name, await fn())
    except BaseException as e:
        out(name + ' FAILED', repr(e)[:400])

async def main():
    async with Client(target, mode=mode, log_handler=on_log, timeout=60) as c:
        out('ERA', c.session.protocol_version)
        await step('tools', c.list_tools)
        await step('resources', c.list_resources)
        async def blob():
            r = await c.read_resource('data://blob')
            b = base64.b64decode(r[0].blob)
            return (r[0].mime_type, len(b), all(x == i % 256 for i, x in enumerate(b)))
        await step('blob', blob)
        await step('templates', c.list_resource_templates)
        await step('template read', lambda: c.read_resource('data://items/e\u0301\U0001D518'))
        await step('complete template', lambda: c.complete(types.ResourceTemplateReference(type='ref/resource', uri='data://items/{name}'), {'name': 'name', 'value': ''}))
        await step('prompt get', lambda: c.get_prompt('poem', {'theme': 'nuit 🌙 e\u0301', 'style': 'haïku'}))
        await step('complete prompt', lambda: c.complete(types.PromptReference(type='ref/prompt', name='poem'), {'name': 'theme', 'value': 'n'}))
        await step('complete ctx', lambda: c.complete(types.PromptReference(type='ref/prompt', name='poem'), {'name': 'style', 'value': 'x'}, {'theme': 'love'}))
        if mode == 'legacy':
            await step('setLevel', lambda: c.set_logging_level('warning'))
        logs.clear()
        await step('logs', lambda: c.call_tool('logs', {}))
        await anyio.sleep(0.3)
        out('logs got', logs)
        prog = []
        async def on_prog(p, t, m):
            prog.append((p, t, m))
        await step('progress', lambda: c.call_tool('steps', {'n': 3}, progress_handler=on_prog))
        out('progress got', prog)
        await step('unicode', lambda: c.call_tool('echo', {'texte': 'e\u0301 \U0001D518😀 \u2028 "q"'}))
        async def big():
            r = await c.call_tool('big', {'n': 1_000_000})
            t = r.content[0].text
            return (len(t), t[:4])
        await step('big', big)

anyio.run(main)
