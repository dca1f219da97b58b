// node:fs as the conformance bundle expects it on Node 22: everything node:fs has, plus a
// small `globSync` when the runtime lacks one. Only the `**/<file name>` form is supported
// (the one the bundle uses, in its tier-check command); anything else throws.
import * as fs from 'node:fs';
import { join, relative } from 'node:path';

export * from 'node:fs';
export default fs.default ?? fs;

export function globSync(pattern, options = {}) {
  if (typeof fs.globSync === 'function') return fs.globSync(pattern, options);
  const match = /^\*\*\/([^*?[\]{}/]+)$/.exec(String(pattern));
  if (!match) throw new Error(`globSync (Node 20 shim): unsupported pattern ${JSON.stringify(pattern)}; only "**/<file name>" works`);
  const wanted = match[1];
  const root = options.cwd === undefined ? process.cwd() : String(options.cwd);
  const found = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name === wanted) found.push(relative(root, path));
    }
  }
  return found.sort();
}
