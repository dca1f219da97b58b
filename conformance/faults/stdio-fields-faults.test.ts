// stdio servers that break a 2026-07-28 field rule: a task without ttlMs, an unknown skill
// answered -32603, a request without _meta clientCapabilities served. Each is found with exactly
// its seeded rule (split from stdio-modern-faults.test.ts for the runner's bound per file).
import { stdioFaultSuite } from '../../test/support/stdio-fault-suite.ts';
import { STDIO_FIELDS_MODES } from './stdio-server.ts';

stdioFaultSuite('check finds each seeded stdio field fault', STDIO_FIELDS_MODES);
