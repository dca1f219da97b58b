"""The Python SDK's client against test/peer-walk8-server.ts (session 32; checked since session 34,
walk8.ts): a URL-mode question (with an elicitationId in 2025-11-25 only), sampling with a tool
offered (its tool use, then the final text), roots, a structured result, a tool error.
Prints "ERA <version>", then "OK <step>" or "FAIL <step> <why>".
Usage: py_client_walk8.py MODE (URL | -- COMMAND ARGS...)."""
import sys, anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
import mcp_types as types
from walk_steps import step

mode = sys.argv[1]
server = sys.argv[2] if sys.argv[2] != '--' else StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
asked = []
MODERN = '2026-07-28'


async def elicit(ctx, params):
    asked.append(params.model_dump(by_alias=True, exclude_none=True))
    return types.ElicitResult(action='accept')


async def sample(ctx, params):
    asked.append(('sample', len(params.messages), [t.name for t in params.tools or []], params.tool_choice and params.tool_choice.mode))
    if len(params.messages) == 1:
        return types.CreateMessageResultWithTools(role='assistant', model='py', stop_reason='toolUse',
                                                  content=[types.ToolUseContent(type='tool_use', id='u1', name='weather', input={'city': 'Paris'})])
    return types.CreateMessageResult(role='assistant', content=types.TextContent(type='text', text='It is sunny ☀'), model='py', stop_reason='endTurn')


async def roots(ctx):
    return types.ListRootsResult(roots=[types.Root(uri='file:///home/é/project', name='project')])


def expect(want_text, want_error=False, want_structured=None, want_asked=None):
    """A check of a call's (is_error, texts, structured) and of what the client was asked meanwhile."""
    def check(r):
        got = (r.is_error, [getattr(b, 'text', None) for b in r.content], r.structured_content)
        if got != (want_error, [want_text], want_structured):
            return f'got {got}'
        if want_asked is not None and asked != want_asked:
            return f'asked {asked}'
        return None
    return check


async def main():
    async with Client(server, mode=mode, elicitation_callback=elicit, sampling_callback=sample,
                      sampling_capabilities=types.SamplingCapability(tools=types.SamplingToolsCapability()),
                      list_roots_callback=roots, read_timeout_seconds=60) as c:
        era = c.protocol_version
        print(f'ERA {era}', flush=True)
        url_ask = {'mode': 'url', 'message': 'Sign in at the bank', 'url': 'https://bank.example/login?x=é'}

        def url_asked(r):
            # 2025-11-25 client/elicitation: a URL request carries an elicitationId; 2026-07-28's has none.
            got = dict(asked[0]) if len(asked) == 1 else {}
            has_id = isinstance(got.pop('elicitationId', None), str)
            if has_id != (era != MODERN) or got != url_ask:
                return f'asked {asked}'
            return expect('sign in: accept')(r)
        steps = [
            ('sign_in', {}, url_asked),
            ('plan', {}, expect('plan: weather({"city":"Paris"}) -> It is sunny ☀ [endTurn]',
                                want_asked=[('sample', 1, ['weather'], 'required'), ('sample', 3, ['weather'], None)])),
            # pydantic's URL type percent-encodes the root's é on the way out (bench/README session 32).
            ('roots', {}, expect('roots: file:///home/%C3%A9/project')),
            ('forecast', {'city': 'Zürich'}, expect('Zürich: 21.5', want_structured={'city': 'Zürich', 'degrees': 21.5})),
            ('broken', {}, expect('out of order é', want_error=True)),
        ]
        for name, args, check in steps:
            asked.clear()
            await step(name, lambda: c.call_tool(name, args), check)


anyio.run(main)
