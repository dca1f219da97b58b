"""FastMCP's client probing test/peer-walk6-server.ts (session 27), the steps of
py_client_walk6.py FastMCP's way. Prints one line per step, read by hand (not part of run.ts).
Usage: fastmcp_client_walk6.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio, base64
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from walk6_shared import call_steps, completion_steps, out, step

mode = sys.argv[1]
target = sys.argv[2] if sys.argv[2] != '--' else StdioTransport(command=sys.argv[3], args=sys.argv[4:], keep_alive=False)
logs = []

async def on_log(m):
    logs.append((m.level, m.data))

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
        await completion_steps(c.complete)
        await step('prompt get', lambda: c.get_prompt('poem', {'theme': 'nuit 🌙 e\u0301', 'style': 'haïku'}))
        if mode == 'legacy':
            await step('setLevel', lambda: c.set_logging_level('warning'))
        await call_steps(c.call_tool, 'progress_handler', logs)

anyio.run(main)
