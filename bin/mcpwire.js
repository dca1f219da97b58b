#!/usr/bin/env node
// The `mcpwire` command. The CLI is TypeScript compiled to dist/ by `npm run build` (and by `npm pack`, prepack).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mcpwire: the library is not built yet; run `npm run build`\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
