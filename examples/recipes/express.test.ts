// The express recipe, end to end over loopback.
import { recipeSuite } from '../../test/recipe-suite.ts';
import { serveWithExpress } from './express.ts';

recipeSuite('express', serveWithExpress);
