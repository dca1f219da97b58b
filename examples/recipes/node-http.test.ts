// The node:http recipe, end to end over loopback.
import { recipeSuite } from '../../test/recipe-suite.ts';
import { serveWithNodeHttp } from './node-http.ts';

recipeSuite('node:http', serveWithNodeHttp);
