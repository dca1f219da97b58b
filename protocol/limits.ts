/** Limits of one peer (`createPeer` option `limits`), each an option with a documented default (README: limits). */
export interface PeerLimits {
  /** Idle timeout of an outbound request in ms (reset by progress when asked). Default 60 000. */
  requestTimeoutMs: number;
  /** Hard cap on one outbound request in ms, progress or not. Default 3 600 000 (one hour). */
  maxTotalTimeoutMs: number;
  /** Outbound requests awaiting a response at once. Default 1 024. */
  maxPendingRequests: number;
  /** Inbound requests being handled at once; more are refused with -32001. Default 1 024. */
  maxInflightHandlers: number;
}

export const DEFAULT_PEER_LIMITS: Readonly<PeerLimits> = Object.freeze({
  requestTimeoutMs: 60_000,
  maxTotalTimeoutMs: 3_600_000,
  maxPendingRequests: 1_024,
  maxInflightHandlers: 1_024,
});

/** Default size limit of one framed message (stdio line, SSE event, memory message): 4 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
