// Interop over stdio with the official SDK 2.4 (devDependency), both ways and in every era
// choice: our client launching the SDK's `serveStdio` server (auto: probed by server/discover,
// legacy, modern), and the SDK's stdio client launching our server (its default legacy mode,
// pinned to 2026-07-28, and auto). The same calls as the HTTP matrix (support/sdk2-interop.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bundledScript } from './support/bundled-script.ts';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createClient, createStdioClientTransport } from 'mcpwire/client';
import { DEFAULT_START_TIMEOUT_MS } from '../conformance/check/stdio-start.ts';
import { commonBattery, sdkBattery, sdkClient } from './support/sdk2-interop.ts';

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
/** Node with TypeScript sources, as the test runner itself runs. */

/**
 * The `auto` probe's bound here. Over stdio `server/discover` is the fresh process's first
 * message, so the client's default (5 s) also covers the server's start: this one (tsx and the
 * SDK) took 3-6 s at load 5 and 18 s with five CPU burners on its core, and a probe that timed
 * out connected as legacy (the spec's fallback, not a fault). The SDK server always answers, so
 * this bound never runs out on a passing run; 60 s is the check's wait for a fresh process's
 * first answer. The timeout fallback itself is client-era-detect's.
 */
const DISCOVER_START_MS = DEFAULT_START_TIMEOUT_MS;

const ours = suite('our stdio client against the SDK 2.4 serveStdio server');

for (const [era, expected] of [['auto', 'modern'], ['legacy', 'legacy'], ['modern', 'modern']] as const) {
  ours(`era ${era}: connects as ${expected}; resources, a template, a prompt, completion, structured output, a tool error`, async () => {
    const client = createClient({ name: 'mcpwire', version: '1' }, { era, eraCache: false, discoverTimeoutMs: DISCOVER_START_MS });
    try {
      await client.connect(createStdioClientTransport({ command: process.execPath, args: await bundledScript(here('./sdk2-stdio-server.ts')), stderr: 'ignore' }));
      assert.is(client.era, expected);
      await sdkBattery(client);
    } finally {
      await client.close();
    }
  });
}

const theirs = suite('the SDK 2.4 stdio client against our stdio server');

for (const [mode, expected] of [['legacy', '2025-11-25'], [{ pin: '2026-07-28' }, '2026-07-28'], ['auto', '2026-07-28']] as const) {
  theirs(`mode ${JSON.stringify(mode)}: negotiates ${expected}; the battery`, async () => {
    const client = sdkClient(mode);
    try {
      await client.connect(new StdioClientTransport({ command: process.execPath, args: await bundledScript(here('./ours-full-stdio-server.ts')), stderr: 'ignore' }));
      assert.is(client.getNegotiatedProtocolVersion(), expected);
      await commonBattery(client);
    } finally {
      await client.close();
    }
  });
}

ours.run();
theirs.run();
