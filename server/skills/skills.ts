/**
 * The skills extension (`io.modelcontextprotocol/skills`, SEP-2640): Agent Skills served as
 * resources under `skill://<skill-path>/...`, each skill enumerated by `skills/list` and
 * fetched by `skills/get` as `{ uri, frontmatter, resources: [{ uri, digest, size }] }` (the
 * SKILL.md URI, its YAML frontmatter, and every file with the sha256 of its bytes so a host
 * can verify what it reads), and, when `directoryRead` is on, `resources/directory/read`
 * listing a skill directory's direct children (subdirectories as `inode/directory`).
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError } from '../../protocol/index.ts';
import { paginate } from '../pagination.ts';
import type { McpServer } from '../server.ts';
import { parseFrontmatter } from './frontmatter.ts';

export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';
const DIRECTORY_MIME = 'inode/directory';
/** Agent Skills naming rules: 1-64 of a-z 0-9 and single inner hyphens. */
const SKILL_NAME = /^(?!.*--)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
/** RFC 3986 reg-name / path segment characters (the first segment is the URI's authority). */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;

/** One skill: where it lives and its files. */
export interface SkillDefinition {
  /** The skill path, segments joined by `/`; the last segment is the skill's name (e.g. `acme/pdf-forms`). */
  path: string;
  /** Files by their path inside the skill (`SKILL.md`, `references/forms.md`, ...); `SKILL.md` is required. */
  files: Readonly<Record<string, string | Uint8Array>>;
}

/** Options of {@link serveSkills}. */
export interface SkillsOptions {
  /** Serve `resources/directory/read` (declared as `directoryRead: true`). Default true. */
  directoryRead?: boolean;
  /**
   * Files one skill may have, SKILL.md included, counting the files of the skills nested in
   * its directory (they are in its `resources` too) (SEP-2640 interoperability limit). Default 512.
   */
  maxFilesPerSkill?: number;
  /** Bytes of all of one skill's files, nested skills' files included (SEP-2640 interoperability limit). Default 16 MiB. */
  maxBytesPerSkill?: number;
  /** Skills per `skills/list` page. Default 100. */
  pageSize?: number;
  /** Cache hints on the extension's results (2026-07-28 server/utilities/caching). Default 0 and `private`. */
  ttlMs?: number;
  cacheScope?: 'public' | 'private';
}

export const SKILLS_DEFAULTS = { maxFilesPerSkill: 512, maxBytesPerSkill: 16 * 1024 * 1024, pageSize: 100 } as const;

/** A `skills/list` entry. */
export interface SkillEntry {
  uri: string;
  frontmatter: Record<string, unknown>;
  resources: Array<{ uri: string; digest: string; size: number }>;
}

interface DirectoryChild { uri: string; name: string; mimeType: string; size?: number }

const MIME: Readonly<Record<string, string>> = {
  md: 'text/markdown', txt: 'text/plain', json: 'application/json', yaml: 'application/yaml', yml: 'application/yaml',
  py: 'text/x-python', sh: 'text/x-shellscript', js: 'text/javascript', html: 'text/html', csv: 'text/csv',
  png: 'image/png', jpg: 'image/jpeg', svg: 'image/svg+xml', pdf: 'application/pdf',
};

function mimeOf(file: string, content: string | Uint8Array): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase();
  return (ext && MIME[ext]) ?? (typeof content === 'string' ? 'text/plain' : 'application/octet-stream');
}

function invalid(where: string, why: string): McpError {
  return new McpError(LocalErrorCode.Validation, `skill ${where}: ${why}`);
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A segment whose escapes a reader decodes to a dot segment or a separator: a WHATWG URL parser
 * takes `%2e%2e` (any case, or mixed with dots) for `..` in every scheme, so the URI would name
 * another skill's file; `%2F` / `%5C` are separators to a host that stores skills by path.
 */
const ENCODED_TRICK = /^(?:\.|%2e){1,2}$|%2f|%5c/i;

function checkPath(where: string, path: string, what: string): string[] {
  const segments = path.split('/');
  for (const s of segments) {
    const bad = !SEGMENT.test(s) || s === '.' || s === '..' ? '' : ENCODED_TRICK.test(s) ? ' (it encodes a dot segment or a path separator)' : undefined;
    if (bad !== undefined) throw invalid(where, `${what} ${JSON.stringify(path)} has a bad segment ${JSON.stringify(s)}${bad}`);
  }
  return segments;
}

/** Checks one skill and returns its entry (digests filled in by {@link digestAll}) and files. */
function prepare(skill: SkillDefinition, maxFiles: number, maxBytes: number) {
  const where = JSON.stringify(skill.path);
  const segments = checkPath(where, skill.path, 'path');
  const name = segments[segments.length - 1]!;
  if (!SKILL_NAME.test(name)) throw invalid(where, `name ${JSON.stringify(name)} breaks the naming rules (1-64 of a-z, 0-9 and single inner hyphens)`);
  const manifest = skill.files['SKILL.md'];
  if (typeof manifest !== 'string') throw invalid(where, 'needs a SKILL.md text file');
  const frontmatter = parseFrontmatter(manifest, `${skill.path}/SKILL.md`);
  if (frontmatter.name !== name) throw invalid(where, `frontmatter name ${JSON.stringify(frontmatter.name)} must equal the last path segment ${JSON.stringify(name)}`);
  if (typeof frontmatter.description !== 'string' || frontmatter.description === '') throw invalid(where, 'frontmatter needs a description');
  const paths = ['SKILL.md', ...Object.keys(skill.files).filter((f) => f !== 'SKILL.md').sort()];
  if (paths.length > maxFiles) throw invalid(where, `has ${paths.length} files; at most ${maxFiles} (maxFilesPerSkill)`);
  const base = `skill://${skill.path}`;
  const files = [];
  let total = 0;
  for (const file of paths) {
    checkPath(where, file, 'file');
    const content = skill.files[file]!;
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    total += bytes.byteLength;
    files.push({ file, uri: `${base}/${file}`, content, bytes, size: bytes.byteLength, mimeType: mimeOf(file, content) });
  }
  if (total > maxBytes) throw invalid(where, `has ${total} bytes of files; at most ${maxBytes} (maxBytesPerSkill)`);
  const entry: SkillEntry = { uri: `${base}/SKILL.md`, frontmatter, resources: [] };
  return { path: skill.path, base, name, entry, files, tree: files };
}

type Prepared = ReturnType<typeof prepare>;
type SkillFile = Prepared['files'][number];

/**
 * SEP-2640 "Nested skills": a skill inside another's directory is, to the enclosing skill,
 * supporting files, so the enclosing skill's `resources` (which MUST be complete) and its
 * directory listing hold them too. Sets each skill's `tree` (its files, then those of the
 * skills nested in it, each with its path from the skill's root); refuses a file two skills
 * would both serve, and a tree over the limits: a host reading the enclosing skill reads
 * every file of its `resources`, nested ones included, so the limits hold for that whole set.
 */
function nest(prepared: Prepared[], maxFiles: number, maxBytes: number): void {
  const owner = new Map<string, string>();
  for (const skill of prepared) {
    for (const f of skill.files) {
      const other = owner.get(f.uri);
      if (other !== undefined) throw invalid(JSON.stringify(skill.path), `its file ${f.uri} is also a file of skill ${JSON.stringify(other)}`);
      owner.set(f.uri, skill.path);
    }
  }
  for (const skill of prepared) {
    const nested = prepared.filter((q) => q.base.startsWith(`${skill.base}/`))
      .flatMap((q) => q.files.map((f) => ({ ...f, file: f.uri.slice(skill.base.length + 1) })))
      .sort((a, b) => (a.file < b.file ? -1 : 1));
    if (nested.length === 0) continue;
    skill.tree = [...skill.files, ...nested];
    const inside = () => `with the files of the skills nested in it (${prepared.filter((q) => q.base.startsWith(`${skill.base}/`)).map((q) => JSON.stringify(q.path)).join(', ')})`;
    const where = JSON.stringify(skill.path);
    if (skill.tree.length > maxFiles) throw invalid(where, `has ${skill.tree.length} files ${inside()}; at most ${maxFiles} (maxFilesPerSkill)`);
    const bytes = skill.tree.reduce((sum, f) => sum + f.size, 0);
    if (bytes > maxBytes) throw invalid(where, `has ${bytes} bytes of files ${inside()}; at most ${maxBytes} (maxBytesPerSkill)`);
  }
}

/** Fill in every entry's sha256 digests (Web Crypto digests are asynchronous). */
async function digestAll(prepared: readonly Prepared[]): Promise<void> {
  const digests = new Map<string, string>();
  for (const skill of prepared) {
    for (const f of skill.files) digests.set(f.uri, await sha256(f.bytes));
  }
  for (const skill of prepared) {
    skill.entry.resources = skill.tree.map((f: SkillFile) => ({ uri: f.uri, digest: digests.get(f.uri)!, size: f.size }));
  }
}

/** Every directory of the skills (their roots and subfolders) -> its direct children. */
function directories(prepared: readonly Prepared[]): Map<string, DirectoryChild[]> {
  const dirs = new Map<string, DirectoryChild[]>();
  const child = (dir: string, c: DirectoryChild) => {
    const list = dirs.get(dir) ?? [];
    if (!list.some((x) => x.uri === c.uri)) list.push(c);
    dirs.set(dir, list);
  };
  for (const skill of prepared) {
    dirs.set(skill.base, dirs.get(skill.base) ?? []);
    for (const f of skill.tree) {
      const parts = f.file.split('/');
      let dir = skill.base;
      for (const folder of parts.slice(0, -1)) {
        child(dir, { uri: `${dir}/${folder}`, name: folder, mimeType: DIRECTORY_MIME });
        dir = `${dir}/${folder}`;
      }
      child(dir, { uri: f.uri, name: parts[parts.length - 1]!, mimeType: f.mimeType, size: f.size });
    }
  }
  return dirs;
}

const notFound = (what: string, uri: unknown) => new RpcError(ErrorCode.InvalidParams, `Invalid params: ${what} ${JSON.stringify(uri)}`, { uri });

/**
 * Serve `skills` on `server`: their files become `skill://` resources (SKILL.md listed with
 * the skill's name and description, `text/markdown`), and the extension is declared with its
 * methods. Throws MCP_ERR_VALIDATION at once for a skill that breaks the SEP-2640 rules or
 * limits; the returned promise settles when the digests are computed (the methods wait for it).
 */
export function serveSkills(server: McpServer, skills: readonly SkillDefinition[], options: SkillsOptions = {}): Promise<void> {
  const maxFiles = options.maxFilesPerSkill ?? SKILLS_DEFAULTS.maxFilesPerSkill;
  const maxBytes = options.maxBytesPerSkill ?? SKILLS_DEFAULTS.maxBytesPerSkill;
  const pageSize = options.pageSize ?? SKILLS_DEFAULTS.pageSize;
  const directoryRead = options.directoryRead ?? true;
  const hints = { ttlMs: options.ttlMs ?? 0, cacheScope: options.cacheScope ?? 'private' };
  const prepared = skills.map((skill) => prepare(skill, maxFiles, maxBytes));
  const byUri = new Map(prepared.map((p) => [p.entry.uri, p.entry]));
  if (byUri.size !== prepared.length) throw new McpError(LocalErrorCode.Validation, 'two skills have the same path');
  nest(prepared, maxFiles, maxBytes);
  const entries = prepared.map((p) => p.entry);
  const dirs = directories(prepared);
  const ready = digestAll(prepared);

  for (const skill of prepared) {
    for (const f of skill.files) {
      const manifest = f.file === 'SKILL.md';
      server.resource({
        uri: f.uri, name: manifest ? skill.name : f.file, mimeType: f.mimeType, size: f.size,
        ...(manifest ? { description: String(skill.entry.frontmatter.description) } : {}),
      }, () => f.content);
    }
  }

  server.extension(SKILLS_EXTENSION, directoryRead ? { directoryRead: true } : {}, {
    // SEP-2640: skill files are read through resources/read, so the resources capability comes with it.
    capabilities: () => ({ resources: {} }),
    register(methods) {
      methods.extend('skills/list', async (params: { cursor?: unknown } | undefined) => {
        await ready;
        const { page, nextCursor } = paginate('skills', entries, params?.cursor, pageSize);
        return { skills: page, ...(nextCursor === undefined ? {} : { nextCursor }), ...hints };
      });
      methods.extend('skills/get', async (params: { uri?: unknown } | undefined) => {
        await ready;
        const skill = byUri.get(params?.uri as string);
        if (!skill) throw notFound('no skill has the SKILL.md URI', params?.uri);
        return { skill, ...hints };
      });
      if (!directoryRead) return;
      methods.extend('resources/directory/read', (params: { uri?: unknown; cursor?: unknown } | undefined) => {
        const children = dirs.get(String(params?.uri ?? '').replace(/\/$/, ''));
        if (!children) throw notFound('not a directory resource:', params?.uri);
        const { page, nextCursor } = paginate('directory', children, params?.cursor, pageSize);
        return { resources: page, ...(nextCursor === undefined ? {} : { nextCursor }), ...hints };
      });
    },
  });
  return ready;
}
