// The skills extension (SEP-2640) against the official SDK 2.4's host side (`SkillsClient`,
// devDependency), which verifies every file it reads against the server's entry (size, sha256
// digest, frontmatter): our serveSkills over HTTP, with the SDK client in its legacy mode and
// pinned to 2026-07-28. Loopback, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SkillsClient } from '@modelcontextprotocol/client/ext/skills';
import { createMcpHttpHandler, createServer, serveSkills } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const MANIFEST = '---\nname: pdf-forms\ndescription: Fill PDF forms.\n---\n# PDF forms\n\nSee references/FORMS.md.\n';
const FORMS = '# Forms\n\nFields, then signatures. Ünïcode too.\n';

const skills = suite('skills: the SDK 2.4 SkillsClient against serveSkills');

for (const mode of ['legacy', { pin: '2026-07-28' }] as const) {
  skills(`SDK mode ${JSON.stringify(mode)}: list, get, read (verified), directory`, async () => {
    const server = createServer({ name: 'skills', version: '1.0.0' });
    await serveSkills(server, [{ path: 'acme/pdf-forms', files: { 'SKILL.md': MANIFEST, 'references/FORMS.md': FORMS, 'bin/blank.pdf': new Uint8Array([37, 80, 68, 70, 0, 255]) } }]);
    const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
    const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
    holder.handler = createMcpHttpHandler(server, { keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
    const client = new Client({ name: 'sdk-host', version: '2.4.0' }, { versionNegotiation: { mode } });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
      const host = new SkillsClient(client);
      assert.ok(host.supported, 'the SDK does not see the skills extension');
      assert.ok(host.directoryRead);
      const listing = await host.list();
      assert.equal(listing.skills.map((s) => s.uri), ['skill://acme/pdf-forms/SKILL.md']);
      const { skill } = await host.get('skill://acme/pdf-forms/SKILL.md');
      const manifest = await host.read(skill);
      assert.is(manifest.verified, true);
      assert.equal(manifest.frontmatter, { name: 'pdf-forms', description: 'Fill PDF forms.' });
      assert.match(String(manifest.text ?? ''), /# PDF forms/);
      const forms = await host.read(skill, 'references/FORMS.md');
      assert.is(forms.text, FORMS);
      const blank = await host.read(skill, 'bin/blank.pdf');
      assert.equal([...blank.bytes], [37, 80, 68, 70, 0, 255]);
      assert.is(blank.verified, true);
      assert.is(new TextDecoder().decode(forms.bytes), FORMS);
      const top = await host.readDirectory('skill://acme/pdf-forms/');
      assert.equal(top.resources.map((r) => r.uri).sort(), ['skill://acme/pdf-forms/SKILL.md', 'skill://acme/pdf-forms/bin', 'skill://acme/pdf-forms/references']);
      const references = await host.readDirectory('skill://acme/pdf-forms/references');
      assert.equal(references.resources.map((r) => r.uri), ['skill://acme/pdf-forms/references/FORMS.md']);
    } finally {
      await client.close();
      await holder.handler.close();
      await listening.close();
    }
  });
}

skills.run();
