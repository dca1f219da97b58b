/**
 * Open a URL in the user's browser, only ever after they consented (URL-mode elicitation).
 * The platform's opener runs directly, never through a shell, and is not waited for.
 */
import { spawn } from 'node:child_process';

/** Resolves true when the opener started, false when there is none. */
export function openUrl(url: string): Promise<boolean> {
  // Only web links: a server must not get a local program run through a crafted scheme.
  if (!/^https?:\/\//i.test(url)) return Promise.resolve(false);
  const [command, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
      : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => { child.unref(); resolve(true); });
    } catch {
      resolve(false);
    }
  });
}
