// A module customization hook (node:module register) for tests that prove what a module graph
// does NOT load: every import whose specifier matches `data.refuse` (a RegExp source) fails
// with "import refused: <specifier> from <parent>". Registered by test/import-guard.ts.
let refuse;

export function initialize(data) {
  refuse = new RegExp(data.refuse);
}

export async function resolve(specifier, context, next) {
  if (refuse.test(specifier)) throw new Error(`import refused: ${specifier} from ${context.parentURL ?? '(entry)'}`);
  return next(specifier, context);
}
