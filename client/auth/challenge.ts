/**
 * `WWW-Authenticate` challenges (RFC 9110 §11.6.1): the scheme and its auth-params, as the
 * MCP authorization rules read them (`resource_metadata`, `scope`, `error`).
 */

/** One challenge: its scheme in lower case and its parameters by lower-case name. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parse a `WWW-Authenticate` value into its challenges; unparsable parts are skipped. */
export function parseChallenges(header: string | undefined): Challenge[] {
  const out: Challenge[] = [];
  if (!header) return out;
  let rest = header.trim();
  let current: Challenge | undefined;
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '');
    const name = TOKEN.exec(rest)?.[0];
    if (!name) break;
    const after = rest.slice(name.length).trimStart();
    if (after.startsWith('=') && current && !after.startsWith('==')) {
      const [value, tail] = readValue(after.slice(1).trimStart());
      current.params[name.toLowerCase()] = value;
      rest = tail;
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
      // token68 form (e.g. `Basic abc==`) is not used by OAuth: skip it.
      rest = after.replace(/^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/, '');
    }
  }
  return out;
}

function readValue(text: string): [string, string] {
  if (!text.startsWith('"')) {
    const value = TOKEN.exec(text)?.[0] ?? '';
    return [value, text.slice(value.length)];
  }
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) value += text[++i];
    else if (c === '"') return [value, text.slice(i + 1)];
    else value += c;
  }
  return [value, ''];
}

/** The first Bearer or DPoP challenge, the schemes MCP servers use. */
export function oauthChallenge(header: string | undefined): Challenge | undefined {
  return parseChallenges(header).find((c) => c.scheme === 'bearer' || c.scheme === 'dpop');
}

/** Scopes of a space-separated `scope` value, without empties. */
export function scopesOf(value: string | undefined): string[] {
  return value ? value.split(' ').filter((s) => s.length > 0) : [];
}
