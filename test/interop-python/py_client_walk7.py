"""The Python SDK's client probing test/peer-walk7-server.ts (session 29): its response cache
against our caching hints (tools/list twice, counted by the server), a list change under listen
(2026-07-28) or on the session (2025-11-25) and the list after it, an agent-like call (progress,
a question, a sampling request, progress) with the order the client saw them in.
Prints one line per step, read by hand (not part of run.ts).
Usage: py_client_walk7.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk6_shared import out, step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
order, notes = [], []


async def elicit(ctx, params):
    order.append('elicit')
    return types.ElicitResult(action='accept', content={'go': True})


async def sample(ctx, params):
    order.append('sample')
    return types.CreateMessageResult(role='assistant', content=types.TextContent(type='text', text='a plan ✓'), model='py')


async def on_message(m):
    notes.append(type(m).__name__ if not hasattr(m, 'root') else type(m.root).__name__)


async def progress(p, total, message):
    order.append(f'{p:g}:{message}')


def text_of(r):
    return r.content[0].text


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, sampling_callback=sample,
                      message_handler=on_message, read_timeout_seconds=60) as c:
        out('ERA', c.protocol_version)

        async def twice():
            a = [t.name for t in (await c.list_tools()).tools]
            b = [t.name for t in (await c.list_tools()).tools]
            return (a == b, text_of(await c.call_tool('lists', {})))
        await step('tools/list twice (cached?), server count', twice)

        async def changed():
            if c.protocol_version >= '2026':
                async with c.listen(tools_list_changed=True) as sub:
                    await c.call_tool('touch', {})
                    with anyio.fail_after(10):
                        async for event in sub:
                            seen = type(event).__name__
                            break
            else:
                await c.call_tool('touch', {})
                await anyio.sleep(0.5)
                seen = notes[-3:]
            names = [t.name for t in (await c.list_tools()).tools]
            return (seen, [n for n in names if n.startswith('added')], text_of(await c.call_tool('lists', {})))
        await step('list change, then the list', changed)

        async def agent():
            order.clear()
            r = await c.call_tool('agent', {'steps': 3}, progress_callback=progress)
            order.append('result')
            return (text_of(r), order)
        await step('agent turn', agent)

        async def many_changes():
            before = notes.count('ToolListChangedNotification')
            for _ in range(40):
                await c.call_tool('touch', {})
                await anyio.sleep(0.05)
            await anyio.sleep(1.5)
            return (notes.count('ToolListChangedNotification') - before, 'GETs with Last-Event-ID: ' + text_of(await c.call_tool('resumes', {})))
        if c.protocol_version < '2026':
            await step('40 list changes over 2 s (2025-11-25: on the GET stream), notifications heard', many_changes)


anyio.run(main)
