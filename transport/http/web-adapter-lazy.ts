/**
 * The Request/Response adapter of a server handler's `handle`, loaded on its first use: a
 * server on node:http (`listen`, `toExchangeListener`) never converts to WHATWG objects, so it
 * does not load or bundle the adapter (issue #20 item 3: the server entry's footprint).
 */
import { loadOnce } from '../../protocol/load-once.ts';

/** `web-adapter.ts`, loaded once by the first `handle(request)`. */
export const webAdapter = loadOnce(() => import('./web-adapter.ts'));
