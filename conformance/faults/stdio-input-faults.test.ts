// stdio servers that lose input (each read split on newlines with its tail dropped; only a read's
// first line handled): each is found as stdio.framing-input, and nothing else. The other framing
// faults are in stdio-faults.test.ts; one file for all took 199 s at load average 10, near the runner's 240 s bound.
import { runStdioFaultSuite } from './stdio-fault-suite.ts';
import { STDIO_INPUT_MODES } from './stdio-server.ts';

runStdioFaultSuite('check finds each seeded stdio input fault', STDIO_INPUT_MODES);
