/** The host's defaults for one server connection (connection.ts), each an option or a flag. */
import type { Implementation } from 'mcpwire/protocol';

export const HOST_INFO: Implementation = { name: 'mcpwire-host', version: '0.1.0' };

/** How long the handshake with a server may take before it counts as not answering (`--connect-timeout-ms`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/**
 * The largest message the host reads from a server (`--max-message-bytes`): the client
 * transports' own default (16 MiB, protocol/limits.ts says why), passed explicitly so the flag
 * sets both the stdio line and the HTTP event bound.
 */
export const DEFAULT_HOST_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * How long a call waits for its journal entry (before its POST) and its first event id
 * (before the rest of its stream) to be on disk; past it the call goes on unsaved (a disk
 * that stalls must not hold every call). `ConnectionOptions.writeAheadWaitMs`.
 */
export const DEFAULT_WRITE_AHEAD_WAIT_MS = 5_000;

/**
 * How often an HTTP stream cut off is tried again before its call ends cut off
 * (`--reconnect-attempts`): 500 ms doubling to 3 s between tries, about three minutes in all,
 * long enough to ride out a server restart. `ConnectionOptions.reconnectAttempts`.
 */
export const DEFAULT_RECONNECT_ATTEMPTS = 60;
