/**
 * test/support/peer-walk2.ts served to peers' clients in other processes: `stdio` serves both
 * eras on stdin/stdout; `http [modern]` listens on a loopback port (2026-07-28 only with
 * `modern`) and prints `listening on URL`. Test-only (test/interop-python/walk2.ts).
 */
import { servePeer } from './support/peer-serve.ts';
import { walk2Server } from './support/peer-walk2.ts';

const server = walk2Server();
await servePeer(server);
