/**
 * Where the OAuth client keeps what it learned per authorization server: its registration
 * (client id and secret) and its tokens per resource. Kept apart from the resumption-token
 * store (resume-store.ts); the file store is private to the user (directory 0700, files 0600),
 * one file per issuer.
 */
import { createHash } from 'node:crypto';
import { chmod, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthError, AuthErrorCode } from './errors.ts';
import { DEFAULT_LOCK_STALE_MS, DEFAULT_LOCK_WAIT_MS, lockFile, type Unlock } from './store-lock.ts';
import { makeDirs } from '../../transport/make-dirs.ts';

/** A client identity at one authorization server. */
export interface StoredClient {
  /** The id the authorization server knows this client by (RFC 7591 §3.2.1; pre-registered, registered or a metadata document URL). */
  client_id: string;
  /** Its secret, for a confidential client; a secret is kept in the store's private file only. */
  client_secret?: string;
  /** `client_secret_basic`, `client_secret_post`, `none`, `private_key_jwt`. */
  token_endpoint_auth_method?: string;
  /** The redirect URIs it was registered with (a registration kept before they were remembered has none). */
  redirect_uris?: string[];
}

/** Tokens for one resource. `expires_at` and `received_at` are in epoch seconds of this machine's clock. */
export interface StoredTokens {
  /** The access token sent to the resource (RFC 6749 §5.1). */
  access_token: string;
  /** `Bearer` or `DPoP` (RFC 9449): how it is presented. */
  token_type: string;
  /** The refresh token, when the authorization server issued one. */
  refresh_token?: string;
  /** When they were received plus their `expires_in` (RFC 6749 §5.1): the token's own `exp` is never compared with the local clock. */
  expires_at?: number;
  /** When they were received: with `expires_at`, their lifetime. */
  received_at?: number;
  /** The scopes granted, space-separated (RFC 6749 §3.3), when the server said. */
  scope?: string;
}

/** Everything kept for one authorization server. */
export interface IssuerRecord {
  /** The authorization server's issuer identifier (RFC 8414), the record's key. */
  issuer: string;
  /** This client's identity there, once registered or configured. */
  client?: StoredClient;
  /** Tokens by the resource (as its metadata published it). */
  tokens: Record<string, StoredTokens>;
}

/** The credential store of {@link createOAuthClient}: a narrow async interface. */
export interface AuthStore {
  /** The record of `issuer`, or undefined when none is kept. */
  read(issuer: string): Promise<IssuerRecord | undefined>;
  /** Keep `record`, replacing the one of its issuer. */
  write(record: IssuerRecord): Promise<void>;
  /** Every record, to find tokens for a resource before any discovery. */
  list(): Promise<IssuerRecord[]>;
  /**
   * Optional: hold `issuer`'s record against other processes while a refresh reads and
   * replaces its tokens; resolves with the release (see store-lock.ts).
   */
  lock?(issuer: string): Promise<Unlock>;
}

/** A store in memory, for one process. */
export function createMemoryAuthStore(): AuthStore {
  const records = new Map<string, IssuerRecord>();
  const copy = (r: IssuerRecord): IssuerRecord => structuredClone(r);
  return {
    read: async (issuer) => {
      const r = records.get(issuer);
      return r && copy(r);
    },
    write: async (record) => {
      records.set(record.issuer, copy(record));
    },
    list: async () => [...records.values()].map(copy),
  };
}

/** Options of {@link createFileAuthStore}. */
export interface FileAuthStoreOptions {
  /** The directory (created 0700 when missing). */
  dir: string;
  /**
   * Told of a file that is not a record (cut short, edited by hand, another program's, a member
   * of the wrong type): it is moved aside to `<file>.damaged` and taken as absent, so the user
   * signs in again.
   */
  onDamaged?: (message: string) => void;
  /** The longest wait for another process's refresh of the same issuer's tokens, ms. Default 20 000. */
  lockWaitMs?: number;
  /**
   * A refresh lock not touched for this long is taken for a leftover and taken over, ms. Its
   * holder touches it every third of this while it works, for up to `lockWaitMs`. Default 30 000.
   */
  lockStaleMs?: number;
}

const fileOf = (dir: string, issuer: string): string =>
  join(dir, `${createHash('sha256').update(issuer).digest('hex').slice(0, 32)}.json`);

function storeError(what: string, error: unknown): AuthError {
  return new AuthError(AuthErrorCode.Store, `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` is not a member of the record typed `type` (`optional`: may be absent), else undefined. */
function wrongType(value: unknown, type: 'string' | 'number' | 'strings', optional: boolean): string | undefined {
  if (value === undefined) return optional ? undefined : 'is missing';
  if (type === 'strings') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : 'is not a list of strings';
  return typeof value === type ? undefined : `is not a ${type}`;
}

const CLIENT_FIELDS = { client_id: ['string', false], client_secret: ['string', true], token_endpoint_auth_method: ['string', true], redirect_uris: ['strings', true] } as const;
const TOKEN_FIELDS = { access_token: ['string', false], token_type: ['string', false], refresh_token: ['string', true], expires_at: ['number', true], received_at: ['number', true], scope: ['string', true] } as const;

/** The first member of `value` (named `where`) whose type is not what `fields` says, as a sentence. */
function wrongMember(value: unknown, where: string, fields: Record<string, readonly ['string' | 'number' | 'strings', boolean]>): string | undefined {
  if (!isPlainObject(value)) return `${where} is not an object`;
  for (const [name, [type, optional]] of Object.entries(fields)) {
    const why = wrongType(value[name], type, optional);
    if (why) return `${where}.${name} ${why}`;
  }
  return undefined;
}

/**
 * The record in `text`, or throws saying which member is wrong: a record with a member of the
 * wrong type (`tokens: null`, a token that is a string, a numeric `client_id`) was taken as
 * whole, and failed every request with a TypeError that named no file, or sent
 * `Bearer undefined` and signed in again without a word.
 */
function parseRecord(text: string, file: string): IssuerRecord {
  const value = JSON.parse(text) as unknown;
  const why = !isPlainObject(value) ? 'it is not an object'
    : wrongType(value.issuer, 'string', false) ? `issuer ${wrongType(value.issuer, 'string', false)}`
    : !isPlainObject(value.tokens) ? 'tokens is not an object'
    : (value.client !== undefined ? wrongMember(value.client, 'client', CLIENT_FIELDS) : undefined)
      ?? Object.entries(value.tokens).map(([resource, tokens]) => wrongMember(tokens, `tokens[${JSON.stringify(resource)}]`, TOKEN_FIELDS)).find(Boolean);
  if (why) throw new Error(`${file} is not an issuer record: ${why}`);
  return value as unknown as IssuerRecord;
}

/** `value` when it is a whole number of ms (0 included), else a RangeError naming the option. */
function wholeMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of ms (0 or more), got ${String(value)}`);
  return value;
}

/** A store of one JSON file per issuer in `dir`, readable by the user only. */
export function createFileAuthStore(options: FileAuthStoreOptions): AuthStore {
  const { dir } = options;
  const waitMs = wholeMs('lockWaitMs', options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  const staleMs = wholeMs('lockStaleMs', options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS);
  let writes = 0;
  async function readFileRecord(file: string): Promise<IssuerRecord | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`cannot read ${file}`, error);
    }
    try {
      return parseRecord(text, file);
    } catch (error) {
      // Thrown, it failed every request of every run until the file was deleted by hand.
      const aside = `${file}.damaged`;
      const moved = await rename(file, aside).then(() => true, () => false);
      options.onDamaged?.(`the sign-in kept in ${file} is damaged (${(error as Error).message}): ${moved ? `moved aside to ${aside}; ` : ''}signing in again`);
      return undefined;
    }
  }
  return {
    read: (issuer) => readFileRecord(fileOf(dir, issuer)),
    async write(record) {
      const file = fileOf(dir, record.issuer);
      const temp = `${file}.${process.pid}.${++writes}.tmp`; // two writes of one process at once must not share it
      try {
        await makeDirs(dir, 0o700);
        await chmod(dir, 0o700);
        await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
        await rename(temp, file);
      } catch (error) {
        throw storeError(`cannot write ${file}`, error);
      }
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw storeError(`cannot list ${dir}`, error);
      }
      const out: IssuerRecord[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const record = await readFileRecord(join(dir, name));
        if (record) out.push(record);
      }
      return out;
    },
    lock: (issuer) => lockFile(dir, fileOf(dir, issuer), waitMs, staleMs),
  };
}
