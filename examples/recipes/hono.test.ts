// The hono recipes (fetch style and Node style on @hono/node-server), end to end over loopback.
import { recipeSuite } from '../../test/recipe-suite.ts';
import { serveWithHonoFetch, serveWithHonoNode } from './hono.ts';

recipeSuite('hono (fetch style)', serveWithHonoFetch);
recipeSuite('hono (Node style)', serveWithHonoNode);
