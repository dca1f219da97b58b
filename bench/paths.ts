/**
 * Where the bench's files are, whether it runs from its TypeScript source (through tsx) or
 * compiled to `.bench-build/` (`npm run bench`: cell processes then start without tsx).
 */
import { fileURLToPath } from 'node:url';

/** True when this module is the compiled JavaScript. */
export const COMPILED = import.meta.url.endsWith('.js');

/** The bench/ folder of the repository (README, results). */
export const BENCH_DIR = new URL(COMPILED ? '../bench/' : './', import.meta.url);

/** The path of a bench entry script (`server-main`, `client-main`) in the form that runs. */
export function entryScript(name: string): string {
  return fileURLToPath(new URL(`./${name}${COMPILED ? '.js' : '.ts'}`, import.meta.url));
}
