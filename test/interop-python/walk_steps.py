"""What the Python walk clients share (py_client.py, fastmcp_client.py): a form answer made from
the requested schema, and one printed line per step, "OK <step>" or "FAIL <step> <why>"."""


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
