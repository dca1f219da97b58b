// A tool's image and audio blocks are checked as a prompt's are: data base64, a MIME type
// (2026-07-28 and 2025-11-25 server/prompts: "MUST be base64-encoded and include a valid MIME
// type"; ImageContent / AudioContent `data` is `format: byte` in every schema), and a block of a
// type no revision has is never sent. A broken block is the tool's error (an isError result
// naming the block), in both eras, so nothing schema-invalid goes out.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { createServer as createSourceServer } from '../server/server.ts';
import { Exchange, request } from './modern-kit.ts';
import { rawSession } from './raw-legacy-session.ts';

const BROKEN: Record<string, { block: Record<string, unknown>; why: RegExp }> = {
  not_base64: { block: { type: 'image', data: 'not base64 !!', mimeType: 'image/png' }, why: /content\[1\]: image data is not base64/ },
  no_padding: { block: { type: 'audio', data: 'AAA', mimeType: 'audio/wav' }, why: /content\[1\]: audio data is not base64/ },
  bad_mime: { block: { type: 'image', data: 'AAAA', mimeType: 'png' }, why: /content\[1\]: image mimeType "png" is not a MIME type/ },
  no_mime: { block: { type: 'audio', data: 'AAAA' }, why: /content\[1\]: audio mimeType undefined is not a MIME type/ },
  video: { block: { type: 'video', data: 'AAAA' }, why: /content\[1\]: not a content block/ },
};

function register(server: { tool: (...a: any[]) => unknown }): void {
  for (const [name, { block }] of Object.entries(BROKEN)) {
    server.tool({ name, description: 'd' }, () => ({ content: [{ type: 'text', text: 'before' }, block] }) as never);
  }
  server.tool({ name: 'fine', description: 'd' }, () => ({ content: [
    { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
    { type: 'audio', data: '', mimeType: 'audio/wav; codecs=1' },
  ] }) as never);
}

const eras = suite('server: a tool\'s image and audio blocks are checked before they are sent');

eras('2026-07-28: each broken block is an isError result naming it; good ones go out (schema-checked)', async () => {
  const server = createSourceServer({ name: 's', version: '1' });
  register(server as never);
  const x = new Exchange(server);
  for (const [name, { why }] of Object.entries(BROKEN)) {
    const result = await x.result(request('tools/call', { name, arguments: {} }));
    assert.is(result.isError, true, name);
    assert.match(result.content[0].text, why, name);
    assert.match(result.content[0].text, new RegExp(`tool ${name} returned`), name);
  }
  const fine = await x.result(request('tools/call', { name: 'fine', arguments: {} }));
  assert.is(fine.isError, undefined);
  assert.is(fine.content.length, 2);
});

eras('2025-11-25: the same, through the 2025-11-25 schema tap', async () => {
  const server = createServer({ name: 's', version: '1' });
  register(server as never);
  const s = await rawSession(server, '2025-11-25');
  try {
    for (const [name, { why }] of Object.entries(BROKEN)) {
      const result = (await s.call('tools/call', { name, arguments: {} })).result;
      assert.is(result.isError, true, name);
      assert.match(result.content[0].text, why, name);
    }
    assert.is((await s.call('tools/call', { name: 'fine', arguments: {} })).result.isError, undefined);
    s.tap.assertClean();
  } finally { await s.close(); await server.close(); }
});

eras.run();
