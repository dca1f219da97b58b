"""The Python SDK's MCPServer for the eighth peer walk (walk8.ts, session 32): a URL-mode
question (legacy: `elicit_url` then `notifications/elicitation/complete`; 2026-07-28: an
InputRequiredResult whose URL request has no elicitationId, as that version's schema has none),
a -32042 error naming a URL step and its completion told on the session,
a sampling request offering a tool (2025-11-25 client/sampling: tools), roots, a tool with an
output schema and structured content, and a tool error.
Usage: py_server_walk8.py stdio | py_server_walk8.py http PORT."""
import sys
from pydantic import BaseModel
from mcp.server.mcpserver import MCPServer, Context
import mcp_types as types
from mcp.shared.exceptions import UrlElicitationRequiredError

mcp = MCPServer('py-walk8', version='1')
MODERN = '2026-07-28'
WEATHER = types.Tool(name='weather', description='Weather of a city', input_schema={
    'type': 'object', 'properties': {'city': {'type': 'string'}}, 'required': ['city']})


def modern(ctx: Context) -> bool:
    return ctx.protocol_version == MODERN


@mcp.tool()
async def sign_in(ctx: Context) -> str:
    """Sends the user to a URL (URL-mode elicitation), then says it completed."""
    if modern(ctx):
        answer = (ctx.input_responses or {}).get('login')
        if answer is None:
            ask = types.ElicitRequestURLParams(message='Sign in at the bank', url='https://bank.example/login?x=é')
            return types.InputRequiredResult(input_requests={'login': types.ElicitRequest(method='elicitation/create', params=ask)})
        return f'modern sign in: {answer.action}'
    answer = await ctx.elicit_url('Sign in at the bank', 'https://bank.example/login?x=é', 'el-1')
    if answer.action == 'accept':
        await ctx.session.send_elicit_complete('el-1', related_request_id=ctx.request_id)
    return f'legacy sign in: {answer.action}'


@mcp.tool()
async def plan(ctx: Context) -> str:
    """Asks the client's model with a tool offered (toolChoice required), then sends the tool's result back."""
    first = [types.SamplingMessage(role='user', content=types.TextContent(type='text', text='weather in Paris?'))]
    if modern(ctx):
        answers = ctx.input_responses or {}
        if 'one' not in answers:
            p = types.CreateMessageRequestParams(messages=first, max_tokens=50, tools=[WEATHER], tool_choice=types.ToolChoice(mode='required'))
            return types.InputRequiredResult(input_requests={'one': types.CreateMessageRequest(params=p)})
        return 'modern plan: ' + str(answers['one'].model_dump(by_alias=True, exclude_none=True))[:300]
    reply = await ctx.session.create_message(first, max_tokens=50, tools=[WEATHER], tool_choice=types.ToolChoice(mode='required'),
                                             related_request_id=ctx.request_id)
    uses = [c for c in (reply.content if isinstance(reply.content, list) else [reply.content]) if c.type == 'tool_use']
    if not uses:
        return f'no tool use: {reply.stop_reason}'
    use = uses[0]
    second = first + [types.SamplingMessage(role='assistant', content=[use]),
                      types.SamplingMessage(role='user', content=[types.ToolResultContent(
                          type='tool_result', tool_use_id=use.id, content=[types.TextContent(type='text', text='sunny')])])]
    final = await ctx.session.create_message(second, max_tokens=50, tools=[WEATHER], related_request_id=ctx.request_id)
    content = final.content if not isinstance(final.content, list) else final.content[0]
    return f'legacy plan: {use.name}({use.input}) -> {content.text} [{final.stop_reason}]'


@mcp.tool()
async def roots(ctx: Context) -> str:
    """The client's roots."""
    if modern(ctx):
        answer = (ctx.input_responses or {}).get('roots')
        if answer is None:
            return types.InputRequiredResult(input_requests={'roots': types.ListRootsRequest(method='roots/list')})
        return 'modern roots: ' + ','.join(str(r.uri) for r in answer.roots)
    result = await ctx.session.list_roots()
    return 'legacy roots: ' + ','.join(str(r.uri) for r in result.roots)


logged_in = set()


@mcp.tool()
async def needs_login(ctx: Context) -> str:
    """Fails with -32042 (URL elicitation required) until finish_login ran."""
    if 'el-2' not in logged_in:
        raise UrlElicitationRequiredError([types.ElicitRequestURLParams(message='Log in first', url='https://bank.example/oauth', elicitation_id='el-2')])
    return 'logged in'


@mcp.tool()
async def finish_login(ctx: Context) -> str:
    """The out-of-band step completes: el-2 is done, said on the session (2025-11-25)."""
    logged_in.add('el-2')
    if not modern(ctx):
        await ctx.session.send_elicit_complete('el-2')
    return 'finished'


class Forecast(BaseModel):
    city: str
    degrees: float


@mcp.tool()
def forecast(city: str) -> Forecast:
    """A structured result (output schema from the model)."""
    return Forecast(city=city, degrees=21.5)


@mcp.tool()
def broken() -> str:
    """Always fails."""
    raise ValueError('out of order é')


if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        mcp.run('streamable-http', port=int(sys.argv[2]))
    else:
        mcp.run('stdio')
