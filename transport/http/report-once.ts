/**
 * The server's error report, once per error: one failure reaches it by several paths (a
 * stream's failed step, then the POST it refused with 507), and the operator reads it once.
 */

/** `onError`, skipping an error object it was given already. */
export function reportOnce(onError: ((error: Error, sessionId?: string) => void) | undefined): (error: Error, sessionId?: string) => void {
  const reported = new WeakSet<object>();
  return (error, sessionId) => {
    if (typeof error === 'object' && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    onError?.(error, sessionId);
  };
}
