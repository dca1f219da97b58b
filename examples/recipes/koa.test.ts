// The koa recipe, end to end over loopback.
import { recipeSuite } from '../../test/recipe-suite.ts';
import { serveWithKoa } from './koa.ts';

recipeSuite('koa', serveWithKoa);
