"""What the two walk6 clients share (py_client_walk6.py, fastmcp_client_walk6.py): the printing
of a step, the completion steps, and the calls (logs, progress, unicode, 1 M characters)."""
import anyio
import mcp_types as types


def out(k, v):
    print(k, str(v)[:500], flush=True)


async def step(name, fn):
    try:
        out(name, await fn())
    except BaseException as e:
        out(name + ' FAILED', repr(e)[:400])


async def completion_steps(complete):
    """Completion of a template's value (combining and astral), a prompt's, one with context."""
    await step('complete template', lambda: complete(types.ResourceTemplateReference(type='ref/resource', uri='data://items/{name}'), {'name': 'name', 'value': ''}))
    await step('complete prompt', lambda: complete(types.PromptReference(type='ref/prompt', name='poem'), {'name': 'theme', 'value': 'n'}))
    await step('complete ctx', lambda: complete(types.PromptReference(type='ref/prompt', name='poem'), {'name': 'style', 'value': 'x'}, {'theme': 'love'}))


async def call_steps(call, progress_kw, logs):
    """`logs` (what the log callback got), progress with total and message, unicode, 1 M characters."""
    logs.clear()
    await step('logs', lambda: call('logs', {}))
    await anyio.sleep(0.3)
    out('logs got', logs)
    prog = []

    async def on_prog(p, t, m):
        prog.append((p, t, m))
    await step('progress', lambda: call('steps', {'n': 3}, **{progress_kw: on_prog}))
    out('progress got', prog)
    await step('unicode', lambda: call('echo', {'texte': 'e\u0301 \U0001D518😀 \u2028 "q"'}))

    async def big():
        r = await call('big', {'n': 1_000_000})
        t = r.content[0].text
        return (len(t), t[:4])
    await step('big', big)
