"""The Python SDK's client probing test/peer-walk6-server.ts (session 27): pages, a blob, a
template read with combining and astral characters, completion (template, prompt, context),
subscribe (2025-11-25), logs at a level, progress, unicode, 1 M characters, calls given up
while they end. Prints one line per step, read by hand (not part of run.ts).
Usage: py_client_walk6.py MODE LOGLEVEL (URL | -- COMMAND ARGS...)."""
import sys, anyio, base64
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from walk6_shared import call_steps, completion_steps, out, step

mode, level = sys.argv[1], sys.argv[2]
server = sys.argv[3] if sys.argv[3] != '--' else StdioServerParameters(command=sys.argv[4], args=sys.argv[5:])
logs, notes = [], []

async def on_log(params):
    logs.append((params.level, params.data))

async def on_message(m):
    notes.append(repr(m)[:160])

async def main():
    kw = {} if mode == 'legacy' else {'log_level': level}
    async with Client(server, mode=mode, logging_callback=on_log, message_handler=on_message, read_timeout_seconds=60, **kw) as c:
        out('ERA', c.protocol_version)
        async def pages(fn, items, key):
            names, cursor, n = [], None, 0
            while True:
                r = await fn(cursor)
                n += 1
                names += [getattr(x, key) for x in getattr(r, items)]
                cursor = r.next_cursor
                if not cursor:
                    return (n, names)
        await step('tools pages', lambda: pages(lambda cur: c.list_tools(cursor=cur, cache_mode='bypass'), 'tools', 'name'))
        await step('resources pages', lambda: pages(lambda cur: c.list_resources(cursor=cur, cache_mode='bypass'), 'resources', 'uri'))
        async def blob():
            r = await c.read_resource('data://blob', cache_mode='bypass')
            b = base64.b64decode(r.contents[0].blob)
            return (r.contents[0].mime_type, len(b), all(x == i % 256 for i, x in enumerate(b)))
        await step('blob', blob)
        await step('templates', lambda: c.list_resource_templates(cache_mode='bypass'))
        await step('template read', lambda: c.read_resource('data://items/e\u0301\U0001D518', cache_mode='bypass'))
        await step('prompts', lambda: c.list_prompts(cache_mode='bypass'))
        await completion_steps(c.complete)
        await step('prompt get', lambda: c.get_prompt('poem', {'theme': 'nuit 🌙 e\u0301', 'style': 'haïku'}))
        if mode == 'legacy':
            await step('setLevel', lambda: c.set_logging_level(level))
            async def sub():
                await c.subscribe_resource('data://watched')
                notes.clear()
                await c.call_tool('touch', {})
                await anyio.sleep(0.5)
                r = await c.read_resource('data://watched', cache_mode='bypass')
                return ([n for n in notes if 'updated' in n.lower()], r.contents[0].text)
            await step('subscribe', sub)
        await call_steps(c.call_tool, 'progress_callback', logs)
        async def race():
            tally = {}
            for i in range(20):
                try:
                    with anyio.fail_after(0.001 * (i % 4)):
                        await c.call_tool('quick', {'x': i})
                    k = 'ok'
                except TimeoutError:
                    k = 'timeout'
                except BaseException as e:
                    k = type(e).__name__
                tally[k] = tally.get(k, 0) + 1
            r = await c.call_tool('quick', {'x': 99})
            return (tally, r.content[0].text)
        await step('race', race)

anyio.run(main)
