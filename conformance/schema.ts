/**
 * Loads the MCP spec's own `schema.json` per protocol version and compiles validators for
 * its named definitions, lazily and once each.
 *
 * The schema files are data from the spec repository and are never copied into this
 * package: they are found through `MCP_SCHEMA_DIR`, else `../shared/spec` beside a checkout's
 * root (not for an installed package), else the pinned files in the user cache. Layout: `<dir>/<version>/schema.json` (the spec repository's `schema/` folder).
 * The files have no `$id` and no root type, so every check names a definition
 * (`#/definitions/X` in draft-07 files, `#/$defs/X` in 2020-12 files).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import { cachedSchemaDir, defaultCacheDir, downloadSchemas, pinnedSchemaDir, type DownloadOptions } from './schema-cache.ts';

/** Every protocol version whose schema this module can load, oldest first. */
export const SCHEMA_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28', 'draft'] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

/** The environment variable naming the folder that holds `<version>/schema.json`. */
export const SCHEMA_DIR_ENV = 'MCP_SCHEMA_DIR';

/** A JSON Schema object as read from a spec file. */
export type JsonSchema = { readonly [key: string]: unknown };

/** One problem ajv found, with a path relative to the validated value. */
export interface SchemaIssue {
  /** JSON Pointer into the validated value (`''` for the value itself). */
  readonly path: string;
  /** ajv's message, with the allowed value(s) for `const`/`enum`. */
  readonly message: string;
  /** The failing JSON Schema keyword (`required`, `type`, `anyOf`, ...). */
  readonly keyword: string;
}

/** Checks a value against one definition; an empty array means valid. */
export type DefinitionCheck = (value: unknown) => readonly SchemaIssue[];

/** A parsed spec schema file. */
export interface LoadedSchema {
  readonly version: SchemaVersion;
  /** draft-07 files keep definitions in `definitions`, 2020-12 files in `$defs`. */
  readonly dialect: 'draft-07' | '2020-12';
  readonly defsKey: 'definitions' | '$defs';
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  /** The file it was read from. */
  readonly file: string;
}

interface Entry {
  readonly loaded: LoadedSchema;
  readonly document: JsonSchema;
  ajv: Ajv | Ajv2020 | undefined;
  readonly checks: Map<string, DefinitionCheck>;
}

const PACKAGE_NAME = 'mcpwire';
const entries = new Map<string, Entry>();

/** True when `value` names a version this module has a schema slot for. */
export function isSchemaVersion(value: unknown): value is SchemaVersion {
  return typeof value === 'string' && (SCHEMA_VERSIONS as readonly string[]).includes(value);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Walk up from this file to the folder whose package.json is named "mcpwire". */
function findPackageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (name === PACKAGE_NAME) return dir;
      } catch (cause) {
        throw new McpError(LocalErrorCode.Validation, `cannot read ${manifest} while looking for the package root`, { cause });
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The folder holding the spec schemas: `MCP_SCHEMA_DIR` when set, else `../shared/spec`
 * beside a checkout's package root, else the pinned files {@link ensureSchemaDir} downloaded
 * into the user cache. Throws an McpError `MCP_ERR_VALIDATION` that tells the user to set
 * `MCP_SCHEMA_DIR` when none exists (see {@link locateSchemaDir}).
 */
export function resolveSchemaDir(): string {
  const fromEnv = process.env[SCHEMA_DIR_ENV];
  // Asked once per validated message (getValidator): walking the disk each time cost a
  // tracer ~0.3 ms a message. A folder found is kept until MCP_SCHEMA_DIR changes.
  if (found !== undefined && found.env === fromEnv) return found.dir;
  const dir = findSchemaDir(fromEnv);
  found = { env: fromEnv, dir };
  return dir;
}

/** The last folder {@link resolveSchemaDir} found, and the MCP_SCHEMA_DIR it was found for. */
let found: { readonly env: string | undefined; readonly dir: string } | undefined;

function findSchemaDir(fromEnv: string | undefined): string {
  return locateSchemaDir({ env: fromEnv, packageRoot: findPackageRoot(), cacheDir: defaultCacheDir() });
}

/** Where {@link locateSchemaDir} looks: the inputs {@link resolveSchemaDir} reads from the process. */
export interface SchemaDirPlaces {
  /** The value of `MCP_SCHEMA_DIR` (unset or empty: not asked). */
  readonly env: string | undefined;
  /** The folder of mcpwire's package.json, when found. */
  readonly packageRoot: string | undefined;
  /** The user cache folder the pinned files are downloaded into. */
  readonly cacheDir: string;
}

/**
 * The checkout's schema folder, `../shared/spec` beside the package root, or undefined for an
 * installed package: beside `node_modules/mcpwire` it would be `node_modules/shared/spec`, a
 * folder some other package may own, never the spec's.
 */
export function checkoutSchemaDir(packageRoot: string | undefined): string | undefined {
  if (packageRoot === undefined) return undefined;
  if (resolve(packageRoot).split(sep).includes('node_modules')) return undefined;
  return resolve(packageRoot, '..', 'shared', 'spec');
}

/**
 * The schema folder: `MCP_SCHEMA_DIR` when set, else `../shared/spec` beside a checkout (never
 * for an installed package), else the pinned files in the cache. Throws McpError
 * `MCP_ERR_VALIDATION` naming every place looked in when none holds them.
 */
export function locateSchemaDir(places: SchemaDirPlaces): string {
  const { env: fromEnv } = places;
  if (fromEnv !== undefined && fromEnv !== '') {
    const dir = resolve(fromEnv);
    if (isDirectory(dir)) return dir;
    throw new McpError(
      LocalErrorCode.Validation,
      `${SCHEMA_DIR_ENV} is set to "${fromEnv}", which is not a folder. Point it at a folder holding ` +
        '<version>/schema.json, such as the schema/ folder of the modelcontextprotocol/modelcontextprotocol repository.',
    );
  }
  const checkout = checkoutSchemaDir(places.packageRoot);
  if (checkout !== undefined && isDirectory(checkout)) return checkout;
  // Users who installed from npm: the pinned files, once downloaded (schema-cache.ts).
  const cached = cachedSchemaDir(places.cacheDir);
  if (cached !== undefined) return cached;
  const looked = [`${SCHEMA_DIR_ENV} (not set)`, ...(checkout === undefined ? [] : [checkout]), `the cache ${pinnedSchemaDir(places.cacheDir)}`];
  throw new McpError(
    LocalErrorCode.Validation,
    `MCP spec schemas not found (looked in ${looked.join(', ')}). Set ${SCHEMA_DIR_ENV} to a ` +
      'folder holding <version>/schema.json, such as the schema/ folder of the modelcontextprotocol/modelcontextprotocol repository, ' +
      'or run `mcpwire check` with a network, which downloads the pinned files into the cache.',
  );
}

/**
 * The schema folder, downloading the pinned files into the cache first when no local copy
 * exists (`MCP_SCHEMA_DIR`, then `../shared/spec`, then the cache). Throws McpError
 * `MCP_ERR_HTTP` with an "offline?" hint when the download fails.
 */
export async function ensureSchemaDir(options: DownloadOptions = {}): Promise<string> {
  try {
    return resolveSchemaDir();
  } catch (error) {
    // An MCP_SCHEMA_DIR that names no folder is the user's mistake to fix, never hidden by a download.
    if (process.env[SCHEMA_DIR_ENV]) throw error;
  }
  return downloadSchemas(options);
}

function entryFor(version: string): Entry {
  if (!isSchemaVersion(version)) {
    throw new McpError(LocalErrorCode.Validation, `no spec schema for protocol version "${version}" (known: ${SCHEMA_VERSIONS.join(', ')})`);
  }
  const file = join(resolveSchemaDir(), version, 'schema.json');
  const cached = entries.get(file);
  if (cached) return cached;
  let document: JsonSchema;
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  } catch (cause) {
    throw new McpError(LocalErrorCode.Validation, `cannot read the ${version} spec schema at ${file}`, { cause });
  }
  const defsKey = '$defs' in document ? '$defs' : 'definitions';
  const definitions = document[defsKey];
  if (definitions === null || typeof definitions !== 'object') {
    throw new McpError(LocalErrorCode.Validation, `${file} has neither "$defs" nor "definitions"`);
  }
  const loaded: LoadedSchema = {
    version,
    dialect: defsKey === '$defs' ? '2020-12' : 'draft-07',
    defsKey,
    definitions: definitions as Record<string, JsonSchema>,
    file,
  };
  const entry: Entry = { loaded, document, ajv: undefined, checks: new Map() };
  entries.set(file, entry);
  return entry;
}

/** Read and cache the schema of one version. Throws McpError `MCP_ERR_VALIDATION`. */
export function loadSchema(version: SchemaVersion): LoadedSchema {
  return entryFor(version).loaded;
}

/** True when `version`'s schema has a definition called `name`. */
export function hasDefinition(version: SchemaVersion, name: string): boolean {
  return Object.hasOwn(loadSchema(version).definitions, name);
}

/** The schema of a definition, following local `$ref`s (`#/$defs/X`, `#/definitions/X`). */
export function resolveDefinition(version: SchemaVersion, schema: JsonSchema): JsonSchema {
  const { definitions, defsKey } = loadSchema(version);
  const prefix = `#/${defsKey}/`;
  let current = schema;
  for (let hops = 0; hops < 32; hops++) {
    const ref = current.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(prefix)) return current;
    const target = definitions[ref.slice(prefix.length)];
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

/** ajv-formats is CommonJS: its plugin is the default export or that export's `default`. */
function formatsPlugin(): (ajv: Ajv | Ajv2020) => unknown {
  const mod = ajvFormats as unknown as { default?: unknown };
  const first = mod.default;
  const fn = typeof first === 'function' ? first : (first as { default?: unknown } | undefined)?.default;
  if (typeof fn !== 'function') throw new McpError(LocalErrorCode.Validation, 'ajv-formats did not load as expected');
  return fn as (ajv: Ajv | Ajv2020) => unknown;
}

function engineFor(entry: Entry): Ajv | Ajv2020 {
  if (entry.ajv) return entry.ajv;
  // strict: false because the spec files use annotation keywords ajv's strict mode rejects.
  // No coercion, defaults or property removal: validation never changes a message.
  const options = { strict: false, allErrors: false } as const;
  const ajv = entry.loaded.dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  // Formats used by the spec files: uri, uri-template, byte (all in ajv-formats).
  formatsPlugin()(ajv);
  // Registered once, unchanged; each definition is compiled on first use by reference.
  ajv.addSchema(entry.document as object, schemaKey(entry.loaded.version));
  entry.ajv = ajv;
  return ajv;
}

function schemaKey(version: SchemaVersion): string {
  return `mcp-${version}`;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const base = error.message ?? `fails "${error.keyword}"`;
  if (error.keyword === 'const') return `${base} ${JSON.stringify(params.allowedValue)}`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${base}: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return base;
}

function toIssues(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors ?? []) {
    const issue = { path: error.instancePath, message: describe(error), keyword: error.keyword };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  if (issues.length === 0) issues.push({ path: '', message: 'does not match', keyword: 'unknown' });
  return issues;
}

/**
 * The compiled check for one definition of one version, compiled on first use and cached
 * per (schema file, definition). Throws McpError `MCP_ERR_VALIDATION` for an unknown version
 * or definition.
 */
export function getValidator(version: SchemaVersion, defName: string): DefinitionCheck {
  const entry = entryFor(version);
  const cached = entry.checks.get(defName);
  if (cached) return cached;
  if (!Object.hasOwn(entry.loaded.definitions, defName)) {
    throw new McpError(LocalErrorCode.Validation, `the ${version} schema has no definition "${defName}"`);
  }
  const check = compileCheck(engineFor(entry), `${schemaKey(version)}#/${entry.loaded.defsKey}/${defName}`);
  entry.checks.set(defName, check);
  return check;
}

/** The check of the definition at `ref` in a schema `ajv` holds. Throws McpError `MCP_ERR_VALIDATION`. */
function compileCheck(ajv: Ajv | Ajv2020, ref: string): DefinitionCheck {
  let fn: ValidateFunction | undefined;
  try {
    fn = ajv.getSchema(ref);
  } catch (cause) {
    throw new McpError(LocalErrorCode.Validation, `cannot compile ${ref}`, { cause });
  }
  if (!fn) throw new McpError(LocalErrorCode.Validation, `cannot resolve ${ref}`);
  const compiled = fn;
  return (value) => (compiled(value) ? [] : toIssues(compiled.errors));
}

/**
 * Extension schemas read from the same folder as the core ones, `<dir>/<name>/schema.json`
 * (`ext-tasks`: the tasks extension's own messages, from the modelcontextprotocol/ext-tasks
 * repository). The pinned download holds only the core files, so an extension schema may be
 * missing: its checks are then undefined and the caller says so.
 */
export const EXTENSION_SCHEMAS = ['ext-tasks'] as const;
export type ExtensionSchema = (typeof EXTENSION_SCHEMAS)[number];

interface ExtensionEntry {
  readonly definitions: Readonly<Record<string, unknown>>;
  readonly ajv: Ajv2020;
  readonly checks: Map<string, DefinitionCheck>;
}

const extensionEntries = new Map<string, ExtensionEntry | null>();

function extensionEntryFor(name: ExtensionSchema): ExtensionEntry | undefined {
  let dir: string;
  try {
    dir = resolveSchemaDir();
  } catch {
    return undefined; // no schema folder at all: nothing to hold the messages to
  }
  const file = join(dir, name, 'schema.json');
  const cached = extensionEntries.get(file);
  if (cached !== undefined) return cached ?? undefined;
  if (!existsSync(file)) {
    extensionEntries.set(file, null);
    return undefined;
  }
  let document: JsonSchema;
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  } catch (cause) {
    throw new McpError(LocalErrorCode.Validation, `cannot read the ${name} schema at ${file}`, { cause });
  }
  const definitions = document.$defs;
  if (definitions === null || typeof definitions !== 'object') throw new McpError(LocalErrorCode.Validation, `${file} has no "$defs"`);
  // The extension files are 2020-12 with an `$id`; registered under a key of their own.
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  formatsPlugin()(ajv);
  ajv.addSchema(document as object, `mcp-${name}`);
  const entry: ExtensionEntry = { definitions: definitions as Record<string, unknown>, ajv, checks: new Map() };
  extensionEntries.set(file, entry);
  return entry;
}

/**
 * The check of one definition of an extension schema, or undefined when the schema folder has
 * no such file. Throws McpError `MCP_ERR_VALIDATION` for a definition the file lacks.
 */
export function getExtensionValidator(name: ExtensionSchema, defName: string): DefinitionCheck | undefined {
  const entry = extensionEntryFor(name);
  if (entry === undefined) return undefined;
  const cached = entry.checks.get(defName);
  if (cached) return cached;
  if (!Object.hasOwn(entry.definitions, defName)) throw new McpError(LocalErrorCode.Validation, `the ${name} schema has no definition "${defName}"`);
  const check = compileCheck(entry.ajv, `mcp-${name}#/$defs/${defName}`);
  entry.checks.set(defName, check);
  return check;
}
