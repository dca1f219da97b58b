/**
 * The SDK 2.4 high-level server of test/support/sdk2-interop.ts over stdio, with the SDK's own
 * `serveStdio` (the opening exchange picks the era). Test-only: the stdio interop test launches it.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { sdkServer } from './support/sdk2-interop.ts';

serveStdio(() => sdkServer());
