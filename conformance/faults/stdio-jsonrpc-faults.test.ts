// stdio servers that break a JSON-RPC or lifecycle rule (notifications answered, an unknown
// method answered with a result, a string id answered as a number, any version echoed): each is
// found with exactly its seeded rule. The framing faults are in stdio-faults.test.ts.
import { runStdioFaultSuite } from './stdio-fault-suite.ts';
import { STDIO_JSONRPC_MODES } from './stdio-server.ts';

runStdioFaultSuite('check finds each seeded stdio JSON-RPC fault', STDIO_JSONRPC_MODES);
