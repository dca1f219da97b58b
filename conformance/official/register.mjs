// Node 20 launcher shim for the official conformance suite (@modelcontextprotocol/conformance).
// Its bundle imports `globSync` from 'fs', which only Node 22 exports, so on Node 20 every
// command dies at load time. Usage:
//   node --import ./conformance/official/register.mjs node_modules/@modelcontextprotocol/conformance/dist/index.js ...
// Pass it with --import on the command line only: never through NODE_OPTIONS, because the
// suite hands its environment to the client processes it launches.
import { register } from 'node:module';

register('./globsync-hooks.mjs', import.meta.url);
