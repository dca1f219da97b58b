"""The Python SDK's client probing test/peer-walk6-server.ts (session 27): pages, a blob, a
template read with combining and astral characters, completion (template, prompt, context),
subscribe (2025-11-25), logs at a level, progress, unicode, 1 M characters, calls given up
while they end. Prints one line per step, read by hand (not part of run.ts).
Usage: py_client_walk6.py MODE LOGLEVEL (URL | -- COMMAND ARGS...)."""
import sys, anyio, base64, json
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types

mode, level = sys.argv[1], sys.argv[2]
server = sys.argv[3] if sys.argv[3] != '--' else StdioServerParameters(command=sys.argv[4], args=sys.argv[5:])
logs, notes = [], []

async def on_log(params):
    logs.append((params.level, params.data))

async def on_message(m):
    notes.append(repr(m)[:160])

def out(k, v):
    print(k, str(v)[:500], flush=True)

async def step(name, fn):
    try:
        out(name, await fn())
    except BaseException as e:
        out(name + ' FAILED', repr(e)[:400])

async def main():
    kw = {} if mode == 'legacy' else {'log_level': level}
    async with Client(server, mode=mode, logging_callback=on_log, message_handler=on_message, read_timeout_seconds=60, **kw) as c:
        out('ERA', c.protocol_version)
        async def pages(fn, key):
            names, cursor, n = [], None, 0
            while True:
                r = await fn(cursor)
                n += 1
                names += [getattr(x, key) for x in getattr(r, {'name': 'tools', 'uri': 'resources', 'uriTemplate': 'resource_templates'}.get(key, 'prompts'))] if key != 'prompt' else [x.name for x in r.prompts]
                cursor = r.next_cursor
                if not cursor: return (n, names)
        await step('tools pages', lambda: pages(lambda cur: c.list_tools(cursor=cur, cache_mode='bypass'), 'name'))
        await step('resources pages', lambda: pages(lambda cur: c.list_resources(cursor=cur, cache_mode='bypass'), 'uri'))
        async def blob():
            r = await c.read_resource('data://blob', cache_mode='bypass')
            b = base64.b64decode(r.contents[0].blob)
            return (r.contents[0].mime_type, len(b), all(x == i % 256 for i, x in enumerate(b)))
        await step('blob', blob)
        await step('templates', lambda: c.list_resource_templates(cache_mode='bypass'))
        await step('template read', lambda: c.read_resource('data://items/e\u0301\U0001D518', cache_mode='bypass'))
        await step('complete template', lambda: c.complete(types.ResourceTemplateReference(type='ref/resource', uri='data://items/{name}'), {'name': 'name', 'value': ''}))
        await step('prompts', lambda: c.list_prompts(cache_mode='bypass'))
        await step('prompt get', lambda: c.get_prompt('poem', {'theme': 'nuit 🌙 e\u0301', 'style': 'haïku'}))
        await step('complete prompt', lambda: c.complete(types.PromptReference(type='ref/prompt', name='poem'), {'name': 'theme', 'value': 'n'}))
        await step('complete ctx', lambda: c.complete(types.PromptReference(type='ref/prompt', name='poem'), {'name': 'style', 'value': 'x'}, {'theme': 'love'}))
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
        logs.clear()
        await step('logs', lambda: c.call_tool('logs', {}))
        await anyio.sleep(0.3)
        out('logs got', logs)
        prog = []
        async def on_prog(p, t, m):
            prog.append((p, t, m))
        await step('progress', lambda: c.call_tool('steps', {'n': 3}, progress_callback=on_prog))
        out('progress got', prog)
        await step('unicode', lambda: c.call_tool('echo', {'texte': 'e\u0301 \U0001D518😀 \u2028 "q"'}))
        async def big():
            r = await c.call_tool('big', {'n': 1_000_000})
            t = r.content[0].text
            return (len(t), t[:4])
        await step('big', big)
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
