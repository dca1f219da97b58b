"""The Python SDK's client for hard.ts: walks test/peer-hard-server.ts (our server, lists paged
by 3) and prints "OK <step>" or "FAIL <step> <why>" per step. Usage: py_client_hard.py MODE
(URL | -- COMMAND ARGS...), MODE auto (2026-07-28 when offered) or legacy."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk_steps import step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
BIG = 'αβγ😀x' * 95_000
UNICODE = '日本語 😀 é\u0301 \u2028 "q" \\'
seen = {'elicit': 0}


async def elicit(ctx, params):
    seen['elicit'] += 1
    return types.ElicitResult(action='accept', content={'go': True})


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


async def all_pages(list_page, field):
    items, cursor, pages = [], None, 0
    while True:
        page = await list_page(cursor=cursor, cache_mode='bypass')
        items += getattr(page, field)
        pages += 1
        cursor = page.next_cursor
        if not cursor or pages > 20:
            return items, pages


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, read_timeout_seconds=60) as c:
        print(f'ERA {c.protocol_version}', flush=True)
        await step('tools paged', lambda: all_pages(c.list_tools, 'tools'),
                   lambda r: None if (len(r[0]), r[1]) == (6, 2) else f'{len(r[0])} tools in {r[1]} pages')
        await step('resources paged', lambda: all_pages(c.list_resources, 'resources'),
                   lambda r: None if (len(r[0]), r[1]) == (12, 4) and r[0][11].name == 'r11-ñ' else f'{len(r[0])} in {r[1]} pages')
        await step('prompts paged', lambda: all_pages(c.list_prompts, 'prompts'),
                   lambda r: None if (len(r[0]), r[1]) == (7, 3) and r[0][6].title == 'Prompt 6 ✓' else f'{len(r[0])} in {r[1]} pages')
        await step('unicode title', lambda: c.list_tools(cache_mode='bypass'), lambda r: None if r.tools[0].title == 'Écho ✓ 工具' else r.tools[0].title)
        await step('unicode args', lambda: c.call_tool('echo', {'text': UNICODE}), lambda r: None if text_of(r) == f'«{UNICODE}»' else repr(text_of(r)))
        await step('1 MB result', lambda: c.call_tool('big', {}), lambda r: None if text_of(r) == BIG else f'{len(text_of(r))} chars')
        progress = []

        async def on_progress(p, total, message):
            progress.append(p)
        await step('long, form mid-run', lambda: c.call_tool('long', {'steps': 6}, progress_callback=on_progress),
                   lambda r: None if text_of(r) == 'done 6' and seen['elicit'] == 1 and progress[-1] == 6 else f'{text_of(r)} {progress} {seen}')
        ticks = {}

        async def tick(n):
            async def on_tick(p, total, message):
                ticks.setdefault(n, []).append((p, message))
            r = await c.call_tool('tick', {'n': n}, progress_callback=on_tick)
            results[n] = text_of(r)
        results = {}

        async def at_once():
            async with anyio.create_task_group() as tg:
                for n in range(20):
                    tg.start_soon(tick, n)
            return results
        await step('20 calls at once', at_once,
                   lambda r: None if all(r.get(n) == str(n) and ticks.get(n) == [(1, f'{n} a'), (2, f'{n} b')] for n in range(20)) else f'{r} {ticks}')
        cancels = (await c.call_tool('ping_me', {})).structured_content['cancels']
        with anyio.move_on_after(0.5):
            await c.call_tool('slow', {})
        await step('call after a cancel', lambda: c.call_tool('ping_me', {}), lambda r: None if text_of(r) == 'pong' else text_of(r))
        await step('the cancel reached the server', lambda: c.call_tool('ping_me', {}),
                   lambda r: None if r.structured_content['cancels'] == cancels + 1 else f'{r.structured_content} (before: {cancels})')
        await step('read a paged resource', lambda: c.read_resource('data://r/11'), lambda r: None if r.contents[0].text == 'resource 11' else r.contents[0].text)
        await step('prompt unicode', lambda: c.get_prompt('p6', {'topic': UNICODE}),
                   lambda r: None if r.messages[0].content.text == f'6: {UNICODE}' else repr(r.messages[0].content.text))


anyio.run(main)
