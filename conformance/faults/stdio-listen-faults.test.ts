// stdio servers that break a 2026-07-28 subscriptions/listen rule (the acknowledgement per
// subscription id, a URI not asked for, an ended listen answered): each is found with exactly its
// seeded rule. Tasks and cancellation faults are in stdio-modern-faults.test.ts.
import { runStdioFaultSuite } from './stdio-fault-suite.ts';
import { STDIO_LISTEN_MODES } from './stdio-server.ts';

runStdioFaultSuite('check finds each seeded stdio listen fault', STDIO_LISTEN_MODES);
