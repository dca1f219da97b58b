"""What the fourth walk's Python peers share (session 26): the servers' two-round tool, answered
from ctx.request_state / ctx.input_responses (py_server_walk4.py, fastmcp_server_walk4.py), and
the clients' steps: tools/list page by page, progress, an error with data, two rounds
(py_client_walk4.py, fastmcp_client_walk4.py)."""
from mcp.shared.exceptions import MCPError
import mcp_types as types
from walk_steps import step

ERROR = (4001, 'the gauge is broken', {'gauge': 7, 'why': ['cold', 'ünïcode']})


def form(message: str) -> types.ElicitRequest:
    return types.ElicitRequest(params=types.ElicitRequestFormParams(message=message, requested_schema={
        'type': 'object', 'properties': {'v': {'type': 'string'}}, 'required': ['v']}))


def two_rounds(state, answers):
    """Round one asks 'First?', round two 'Second?' (requestState between them), then the text of both answers."""
    answers = answers or {}
    if state is None:
        return types.InputRequiredResult(input_requests={'first': form('First?')}, request_state='r1')
    first = answers.get('first')
    if state == 'r1':
        v = first.content['v'] if first is not None and first.content else '?'
        return types.InputRequiredResult(input_requests={'second': form('Second?')}, request_state=f'r2:{v}')
    second = answers.get('second')
    v2 = second.content['v'] if second is not None and second.content else '?'
    return f'{state[3:]}+{v2}'


def text_of(result):
    return result.content[0].text if result.content and hasattr(result.content[0], 'text') else ''


async def pages_step(list_page):
    """tools/list page by page, `list_page(cursor)` fetching one, following the cursor (at most 10 pages)."""
    async def pages():
        names, cursor = [], None
        for _ in range(10):
            page = await list_page(cursor)
            names.append([t.name for t in page.tools])
            cursor = page.next_cursor
            if not cursor:
                break
        return names
    await step('tools/list page by page', pages,
               lambda n: None if n == [['steps', 'fails'], ['twice', 't4'], ['t5']] else str(n))


async def call_steps(call_tool, progress_kw):
    """The clients' steps against test/peer-walk4-server.ts; `progress_kw` names call_tool's progress argument."""
    seen = []

    async def progress(p, total, message):
        seen.append((p, total, message))
    await step('progress', lambda: call_tool('steps', {'n': 3}, **{progress_kw: progress}),
               lambda r: None if text_of(r) == 'did 3' and seen == [(1, 3, 'step 1'), (2, 3, 'step 2'), (3, 3, 'step 3')] else f'{text_of(r)} {seen}')

    async def fails():
        try:
            await call_tool('fails', {})
            return 'no error'
        except MCPError as e:
            return (e.code, e.message, e.data)
    await step('error with data', fails, lambda r: None if r == ERROR else str(r))
    await step('two rounds', lambda: call_tool('twice', {}), lambda r: None if text_of(r) == 'First+Second' else text_of(r))
