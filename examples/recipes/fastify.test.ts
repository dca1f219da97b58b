// The fastify recipe, end to end over loopback.
import { recipeSuite } from '../../test/recipe-suite.ts';
import { serveWithFastify } from './fastify.ts';

recipeSuite('fastify', serveWithFastify);
