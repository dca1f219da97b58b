// The resumption suite again over loopback through `listen(handler)`: connections cut by the
// client reach the Node adapter as a closed response, which must not end the stream.
process.env.MCPWIRE_FIXTURE_VIA = 'socket';
await import('./http-resume.test.ts');
