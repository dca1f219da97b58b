"""FastMCP's client for hard.ts: walks test/peer-hard-server.ts (our server, lists paged by 3)
over HTTP and prints "ERA v", then "OK <step>" or "FAIL <step> <why>" per step. Usage:
fastmcp_client_hard.py MODE URL, MODE auto (2026-07-28 when offered) or legacy."""
import sys, anyio
from fastmcp import Client
from walk_steps import step

mode, url = sys.argv[1], sys.argv[2]
BIG = 'αβγ😀x' * 95_000
UNICODE = '日本語 😀 é\u0301 \u2028 "q" \\'
seen = {'elicit': 0}


async def elicit(message, response_type, params, context):
    seen['elicit'] += 1
    return {'go': True}


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


async def main():
    async with Client(url, mode=mode, elicitation_handler=elicit, timeout=60) as c:
        print(f'ERA {c.session.protocol_version}', flush=True)
        await step('tools (auto-paged)', lambda: c.list_tools(), lambda r: None if len(r) == 6 and r[0].title == 'Écho ✓ 工具' else f'{len(r)} tools')
        await step('tools page by cursor', lambda: c.list_tools_mcp(), lambda r: None if len(r.tools) == 3 and r.next_cursor else f'{len(r.tools)} {r.next_cursor}')
        await step('resources (auto-paged)', lambda: c.list_resources(), lambda r: None if len(r) == 12 and r[11].name == 'r11-ñ' else f'{len(r)}')
        await step('prompts (auto-paged)', lambda: c.list_prompts(), lambda r: None if len(r) == 7 and r[6].title == 'Prompt 6 ✓' else f'{len(r)}')
        await step('unicode args', lambda: c.call_tool('echo', {'text': UNICODE}), lambda r: None if text_of(r) == f'«{UNICODE}»' else repr(text_of(r)))
        await step('1 MB result', lambda: c.call_tool('big', {}), lambda r: None if text_of(r) == BIG else f'{len(text_of(r))} chars')
        progress = []

        async def on_progress(p, total, message):
            progress.append(p)
        await step('long, form mid-run', lambda: c.call_tool('long', {'steps': 6}, progress_handler=on_progress),
                   lambda r: None if text_of(r) == 'done 6' and seen['elicit'] == 1 and progress[-1] == 6 else f'{text_of(r)} {progress} {seen}')
        ticks, results = {}, {}

        async def tick(n):
            async def on_tick(p, total, message):
                ticks.setdefault(n, []).append((p, message))
            results[n] = text_of(await c.call_tool('tick', {'n': n}, progress_handler=on_tick))

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


anyio.run(main)
