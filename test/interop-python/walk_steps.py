"""What the Python walk clients share (py_client.py, fastmcp_client.py, the walk2 clients): a form
answer made from the requested schema, one printed line per step, "OK <step>" or "FAIL <step> <why>",
and the cancel of a call while its form is open."""

import anyio


def form_answer(schema):
    """An answer to a form: each property's default, first enum value, or a plain value of its type."""
    answer = {}
    for key, prop in (schema or {}).get('properties', {}).items():
        if 'default' in prop:
            answer[key] = prop['default']
        elif 'enum' in prop:
            answer[key] = prop['enum'][0]
        elif prop.get('type') == 'boolean':
            answer[key] = True
        elif prop.get('type') in ('integer', 'number'):
            answer[key] = prop.get('minimum', 1)
        else:
            answer[key] = 'Ada'
    return answer


async def step(name, action, check=lambda r: None):
    """Run one step and print its line; one step's failure must not hide the next."""
    try:
        result = await action()
        problem = check(result)
        print(f'FAIL {name} {problem}' if problem else f'OK {name}', flush=True)
    except Exception as error:
        print(f'FAIL {name} {type(error).__name__}: {error}', flush=True)


async def cancel_mid_form(hold, call):
    """Start `call()`, cancel it once the walk's form handler has set hold['form'] (it is asked);
    True when that did not happen within 20 s."""
    hold['form'] = anyio.Event()
    with anyio.move_on_after(20) as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(call)
            await hold['form'].wait()
            tg.cancel_scope.cancel()
    hold['form'] = None
    return scope.cancelled_caught
