// Module resolve hook: when a file of the conformance bundle imports 'fs' (or 'node:fs'),
// hand it fs-globsync.mjs instead. Every other importer gets the real module.
const replacement = new URL('./fs-globsync.mjs', import.meta.url).href;
const BUNDLE = '/@modelcontextprotocol/conformance/dist/';

export async function resolve(specifier, context, nextResolve) {
  const fromBundle = typeof context.parentURL === 'string' && context.parentURL.includes(BUNDLE);
  if (fromBundle && (specifier === 'fs' || specifier === 'node:fs')) return { url: replacement, shortCircuit: true };
  return nextResolve(specifier, context);
}
