// The HTTP server suite again, each request over loopback through `listen(handler)`: the
// Node adapter (IncomingMessage/ServerResponse, no WHATWG objects) must answer exactly as
// the fetch-style handler does.
process.env.MCPWIRE_FIXTURE_VIA = 'socket';
await import('./http-server.test.ts');
