"""The Python SDK's client mid-call while `mcpwire serve --state` is killed (-9) and started again
(walk3.ts, session 24). Calls `count` (12 steps, 150 ms apart) with a progress callback, printing
"PROGRESS <n>" as each arrives (the driver kills the server at 3), then "OK call <progress>" or
"FAIL call <why>"; then waits for a line on stdin (the server is back) before "call after it": the
client must not send while the server is down (a refused POST ends the whole client, below).
Usage: py_client_restart.py MODE URL."""
import sys, anyio
from mcp import Client
from walk_steps import step

mode, url = sys.argv[1], sys.argv[2]


async def main():
    async with Client(url, mode=mode, read_timeout_seconds=60) as c:
        print(f'ERA {c.protocol_version}', flush=True)
        seen = []

        async def on_progress(p, total, message):
            seen.append(int(p))
            print(f'PROGRESS {int(p)}', flush=True)

        try:
            r = await c.call_tool('count', {'steps': 12, 'delayMs': 150}, progress_callback=on_progress)
            text = r.content[0].text if r.content else ''
            print(f'OK call {seen}' if text == 'counted to 12' and not r.is_error else f'FAIL call got {text!r} {seen}', flush=True)
        except Exception as error:
            print(f'FAIL call {type(error).__name__}: {error} {seen}', flush=True)
        await anyio.to_thread.run_sync(sys.stdin.readline)
        await step('call after it', lambda: c.call_tool('count', {'steps': 2}),
                   lambda r: None if r.content[0].text == 'counted to 2' else r.content[0].text)


anyio.run(main)
