import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUriTemplate, type UriTemplateVariables } from './uri-template.ts';

/** The variables of RFC 6570 section 3.2 (the associative `keys` is not supported here). */
const RFC_VARS: UriTemplateVariables = {
  count: ['one', 'two', 'three'],
  dom: ['example', 'com'],
  dub: 'me/too',
  hello: 'Hello World!',
  half: '50%',
  var: 'value',
  who: 'fred',
  base: 'http://example.com/home/',
  path: '/foo/bar',
  list: ['red', 'green', 'blue'],
  v: '6',
  x: '1024',
  y: '768',
  empty: '',
  empty_list: [],
};

function expandCases(name: string, cases: Array<[string, string]>): void {
  const s = suite(`RFC 6570 expansion: ${name}`);
  for (const [template, expected] of cases) {
    s(`${template} -> ${expected}`, () => {
      assert.is(parseUriTemplate(template).expand(RFC_VARS), expected);
    });
  }
  s.run();
}

// RFC 6570 section 1.2 (levels) and section 3.2 (per operator).
expandCases('level 1 (simple)', [
  ['{var}', 'value'],
  ['{hello}', 'Hello%20World%21'],
  ['{half}', '50%25'],
  ['O{empty}X', 'OX'],
  ['O{undef}X', 'OX'],
  ['{base}index', 'http%3A%2F%2Fexample.com%2Fhome%2Findex'],
  ['{dub}', 'me%2Ftoo'],
]);

expandCases('level 2 (reserved and fragment)', [
  ['{+var}', 'value'],
  ['{+hello}', 'Hello%20World!'],
  ['{+half}', '50%25'],
  ['{+path}/here', '/foo/bar/here'],
  ['here?ref={+path}', 'here?ref=/foo/bar'],
  ['{+base}index', 'http://example.com/home/index'],
  ['{+dub}', 'me/too'],
  ['X{#var}', 'X#value'],
  ['X{#hello}', 'X#Hello%20World!'],
  ['{#half}', '#50%25'],
]);

expandCases('level 3 (multiple variables, all operators)', [
  ['map?{x,y}', 'map?1024,768'],
  ['{x,hello,y}', '1024,Hello%20World%21,768'],
  ['{x,undef}', '1024'],
  ['{+x,hello,y}', '1024,Hello%20World!,768'],
  ['{+path,x}/here', '/foo/bar,1024/here'],
  ['{#x,hello,y}', '#1024,Hello%20World!,768'],
  ['{#path,x}/here', '#/foo/bar,1024/here'],
  ['X{.var}', 'X.value'],
  ['X{.x,y}', 'X.1024.768'],
  ['{.who,who}', '.fred.fred'],
  ['{.half,who}', '.50%25.fred'],
  ['X{.empty}', 'X.'],
  ['X{.undef}', 'X'],
  ['{/var}', '/value'],
  ['{/var,x}/here', '/value/1024/here'],
  ['{/who,dub}', '/fred/me%2Ftoo'],
  ['{/var,empty}', '/value/'],
  ['{/var,undef}', '/value'],
  ['{;x,y}', ';x=1024;y=768'],
  ['{;x,y,empty}', ';x=1024;y=768;empty'],
  ['{;v,bar,who}', ';v=6;who=fred'],
  ['{?x,y}', '?x=1024&y=768'],
  ['{?x,y,empty}', '?x=1024&y=768&empty='],
  ['{?var,undef}', '?var=value'],
  ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
  ['{&x,y,empty}', '&x=1024&y=768&empty='],
]);

expandCases('level 4 (prefix and explode)', [
  ['{var:3}', 'val'],
  ['{var:30}', 'value'],
  ['{list}', 'red,green,blue'],
  ['{list*}', 'red,green,blue'],
  ['{count*}', 'one,two,three'],
  ['{empty_list}', ''],
  ['{+path:6}/here', '/foo/b/here'],
  ['{+list}', 'red,green,blue'],
  ['{+list*}', 'red,green,blue'],
  ['{#path:6}/here', '#/foo/b/here'],
  ['{#list}', '#red,green,blue'],
  ['{#list*}', '#red,green,blue'],
  ['X{.var:3}', 'X.val'],
  ['X{.list}', 'X.red,green,blue'],
  ['X{.list*}', 'X.red.green.blue'],
  ['www{.dom*}', 'www.example.com'],
  ['{/var:1,var}', '/v/value'],
  ['{/list}', '/red,green,blue'],
  ['{/list*}', '/red/green/blue'],
  ['{/list*,path:4}', '/red/green/blue/%2Ffoo'],
  ['{;hello:5}', ';hello=Hello'],
  ['{;list}', ';list=red,green,blue'],
  ['{;list*}', ';list=red;list=green;list=blue'],
  ['{;count*}', ';count=one;count=two;count=three'],
  ['{?var:3}', '?var=val'],
  ['{?list}', '?list=red,green,blue'],
  ['{?list*}', '?list=red&list=green&list=blue'],
  ['{&var:3}', '&var=val'],
  ['{&list}', '&list=red,green,blue'],
  ['{&list*}', '&list=red&list=green&list=blue'],
  ['{?empty_list*}', ''],
]);

const extra = suite('expansion details');

extra('non-ASCII values are UTF-8 percent-encoded and prefixes count code points', () => {
  const t = parseUriTemplate('x/{name}/{name:2}');
  assert.is(t.expand({ name: 'é😀z' }), 'x/%C3%A9%F0%9F%98%80z/%C3%A9%F0%9F%98%80');
});

extra('literal characters outside the URI set are encoded; a value that is not a string throws', () => {
  assert.is(parseUriTemplate('a b/{x}').expand({ x: 'y' }), 'a%20b/y');
  assert.throws(() => parseUriTemplate('{x}').expand({ x: 5 as unknown as string }), (e: unknown) => e instanceof TypeError);
});

extra('variableNames lists each name once, in order', () => {
  assert.equal(parseUriTemplate('{a}/{+b}{?c,a}{#d}').variableNames, ['a', 'b', 'c', 'd']);
  assert.equal(parseUriTemplate('plain://x').variableNames, []);
});

extra.run();

const roundTrip = suite('expand then match gives the variables back');

const ROUND_TRIPS: Array<[string, UriTemplateVariables]> = [
  ['file:///{path}', { path: 'readme.md' }],
  ['file:///{path}', { path: 'dir/with slash & spaces%.txt' }],
  ['file:///{+path}', { path: 'docs/guide/intro.md' }],
  ['db://{table}/rows/{id}', { table: 'users', id: '42' }],
  ['db://{table}/rows/{id}', { table: 'naïve tablé', id: 'a/b?c#d' }],
  ['search://{?q,limit}', { q: 'mcp & json-rpc = fun', limit: '10' }],
  ['search://{?q,limit}', { q: 'only' }],
  ['search://{?q,limit}', {}],
  ['repo://{owner}/{repo}/tree{/path*}', { owner: 'octo', repo: 'cat', path: ['src', 'lib', 'a b.ts'] }],
  ['repo://{owner}/{repo}/tree{/path*}', { owner: 'octo', repo: 'cat' }],
  ['repo://{owner}/{repo}/tree{/path*}{?ref}', { owner: 'o', repo: 'r', path: ['x'], ref: 'v1.0' }],
  ['weather://{city}/{date}{?units,lang}', { city: 'São Paulo', date: '2025-11-25', units: 'metric', lang: 'pt' }],
  ['tags://{?tag*}', { tag: ['a', 'b c', 'd&e'] }],
  ['map://{x,y}', { x: '1024', y: '768' }],
  ['m://{;x,y,empty}', { x: '1024', y: '768', empty: '' }],
  ['m://{;list*}', { list: ['red', 'green'] }],
  ['host://www{.dom*}', { dom: ['example', 'com'] }],
  ['doc://{id}{#section}', { id: 'a', section: 'part/2' }],
];

for (const [template, vars] of ROUND_TRIPS) {
  roundTrip(`${template} with ${JSON.stringify(vars)}`, () => {
    const t = parseUriTemplate(template);
    assert.equal(t.match(t.expand(vars)), vars);
  });
}

roundTrip.run();

const match = suite('match covers the common resource shapes');

match('a simple variable does not match across "/", a reserved one does', () => {
  assert.is(parseUriTemplate('file:///{path}').match('file:///a/b'), null);
  assert.equal(parseUriTemplate('file:///{+path}').match('file:///a/b'), { path: 'a/b' });
  assert.equal(parseUriTemplate('file:///{+path}').match('file:///a/b?x=1#top'), { path: 'a/b?x=1#top' });
  assert.equal(parseUriTemplate('file:///{+path}{?rev}').match('file:///a/b?rev=3'), { path: 'a/b', rev: '3' });
});

match('matched values are percent-decoded', () => {
  assert.equal(parseUriTemplate('db://{table}/rows/{id}').match('db://my%20table/rows/%C3%A9%2F1'), { table: 'my table', id: 'é/1' });
  assert.equal(parseUriTemplate('repo://{o}/tree{/path*}').match('repo://x/tree/a%2Fb/c'), { o: 'x', path: ['a/b', 'c'] });
});

match('query parameters match in any order, are optional, and unknown ones are ignored', () => {
  const t = parseUriTemplate('search://{?q,limit}');
  assert.equal(t.match('search://?limit=5&q=cats'), { q: 'cats', limit: '5' });
  assert.equal(t.match('search://?q=cats'), { q: 'cats' });
  assert.equal(t.match('search://'), {});
  assert.equal(t.match('search://?utm=x&q=a%26b'), { q: 'a&b' });
  assert.equal(parseUriTemplate('s://x{?a}{&b}').match('s://x?b=2&a=1'), { a: '1', b: '2' });
});

match('a URI that differs in a literal, is malformed, or is too long does not match', () => {
  const t = parseUriTemplate('db://{table}/rows/{id}', { maxUriLength: 64 });
  assert.is(t.match('db://users/cols/1'), null);
  assert.is(t.match('http://users/rows/1'), null);
  assert.is(t.match('db://users/rows/%E0%A4'), null, 'truncated UTF-8');
  assert.is(t.match('db://users/rows/%zz'), null);
  assert.is(t.match(`db://users/rows/${'1'.repeat(64)}`), null);
  assert.equal(t.match('db://users/rows/1'), { table: 'users', id: '1' });
});

match('a variable used twice must match the same value both times', () => {
  const t = parseUriTemplate('x://{a}/{a}');
  assert.equal(t.match('x://k/k'), { a: 'k' });
  assert.is(t.match('x://k/j'), null);
});

match('several simple variables split on commas; exploded lists stay lists', () => {
  assert.equal(parseUriTemplate('map?{x,y}').match('map?1024,768'), { x: '1024', y: '768' });
  assert.equal(parseUriTemplate('c://{list*}').match('c://red,green'), { list: ['red', 'green'] });
  assert.equal(parseUriTemplate('c://{list}').match('c://red,green'), { list: 'red,green' });
});

match.run();

const errors = suite('malformed templates and limits are clear errors');

for (const [template, message] of [
  ['file:///{path', 'unclosed "{"'],
  ['file:///path}', 'unmatched "}"'],
  ['{a{b}}', '"{" inside the expression'],
  ['{}', 'empty expression'],
  ['{+}', 'empty expression'],
  ['{!var}', 'operator "!" is reserved'],
  ['{=var}', 'operator "=" is reserved'],
  ['{$var}', 'unknown operator "$"'],
  ['{a b}', 'bad variable name'],
  ['{a-b}', 'bad variable name'],
  ['{a,}', 'bad variable name'],
  ['{var:0}', 'bad prefix modifier'],
  ['{var:10000}', 'bad prefix modifier'],
  ['{var:x}', 'bad prefix modifier'],
] as const) {
  errors(`${template} is refused: ${message}`, () => {
    assert.throws(
      () => parseUriTemplate(template),
      (e: unknown) => e instanceof SyntaxError && e.message.includes(message) && e.message.includes('invalid URI template'),
    );
  });
}

errors('dotted and percent-encoded variable names are valid', () => {
  assert.equal(parseUriTemplate('{a.b}/{c%20d}').variableNames, ['a.b', 'c%20d']);
});

errors('templates over maxTemplateLength or maxExpressions are refused with a RangeError', () => {
  assert.throws(() => parseUriTemplate('x'.repeat(4097)), (e: unknown) => e instanceof RangeError && /maxTemplateLength \(4096\)/.test(String(e)));
  assert.ok(parseUriTemplate('x'.repeat(4096)));
  assert.throws(() => parseUriTemplate('{a}{b}{c}', { maxExpressions: 2 }), (e: unknown) => e instanceof RangeError && /maxExpressions \(2\)/.test(String(e)));
  assert.is(parseUriTemplate('{a}'.repeat(64)).variableNames.length, 1);
  assert.throws(() => parseUriTemplate('{a}'.repeat(65)), (e: unknown) => e instanceof RangeError);
});

errors.run();
