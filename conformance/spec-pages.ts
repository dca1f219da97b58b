/**
 * The pages of each spec revision, and which page covers a topic at a revision: what a
 * citation such as `2026-07-28 basic/patterns/progress` can name. The names are the paths
 * of the spec's pages under `docs/specification/<revision>/` (an `index` page is named by
 * its folder), as they stand at the spec repository's commit the schemas come from
 * (`../shared/spec/SOURCE.md`) or stood at the revision's release tag
 * (`basic/security_best_practices` has since moved out of the specification folders). Pages move between revisions: 2026-07-28 has no
 * `basic/lifecycle` or `basic/utilities/*`; its progress, cancellation, multi round-trip
 * requests and subscriptions are under `basic/patterns/`, and its transports have a page
 * each. A citation is only as useful as the page it names exists.
 */

/** Every page of each revision (folders' index pages by the folder's name). */
export const SPEC_PAGES: Readonly<Record<string, ReadonlySet<string>>> = {
  '2024-11-05': pages('architecture basic basic/lifecycle basic/messages basic/transports basic/utilities/cancellation basic/utilities/ping basic/utilities/progress client/roots client/sampling server server/prompts server/resources server/tools server/utilities/completion server/utilities/logging server/utilities/pagination'),
  '2025-03-26': pages('architecture basic basic/authorization basic/lifecycle basic/transports basic/utilities/cancellation basic/utilities/ping basic/utilities/progress changelog client/roots client/sampling server server/prompts server/resources server/tools server/utilities/completion server/utilities/logging server/utilities/pagination'),
  '2025-06-18': pages('architecture basic basic/authorization basic/lifecycle basic/security_best_practices basic/transports basic/utilities/cancellation basic/utilities/ping basic/utilities/progress changelog client/elicitation client/roots client/sampling schema server server/prompts server/resources server/tools server/utilities/completion server/utilities/logging server/utilities/pagination'),
  '2025-11-25': pages('architecture basic basic/authorization basic/lifecycle basic/security_best_practices basic/transports basic/utilities/cancellation basic/utilities/ping basic/utilities/progress basic/utilities/tasks changelog client/elicitation client/roots client/sampling schema server server/prompts server/resources server/tools server/utilities/completion server/utilities/logging server/utilities/pagination'),
  '2026-07-28': pages('architecture basic basic/authorization basic/authorization/authorization-server-discovery basic/authorization/client-registration basic/authorization/security-considerations basic/patterns basic/patterns/cancellation basic/patterns/mrtr basic/patterns/progress basic/patterns/subscriptions basic/transports basic/transports/stdio basic/transports/streamable-http basic/versioning changelog client/elicitation client/roots client/sampling deprecated schema server server/discover server/prompts server/resources server/tools server/utilities/caching server/utilities/completion server/utilities/logging server/utilities/pagination'),
};

/** The revisions, oldest first. */
export const SPEC_REVISIONS: readonly string[] = Object.keys(SPEC_PAGES).sort();

const MODERN = '2026-07-28';
const DEFAULT_REVISION = '2025-11-25';

/**
 * What a message or event is about, for its citation. `stdio-end` is the end of a stdio
 * conversation (2025-11-25 basic/lifecycle's shutdown; 2026-07-28 basic/transports/stdio).
 */
export type SpecTopic =
  | 'messages' | 'lifecycle' | 'versioning' | 'discover' | 'ping' | 'transports' | 'stdio-end'
  | 'progress' | 'cancellation' | 'tasks' | 'mrtr' | 'subscriptions'
  | 'tools' | 'resources' | 'prompts' | 'completion' | 'logging' | 'pagination'
  | 'elicitation' | 'sampling' | 'roots';

interface TopicPages {
  /** The page up to 2025-11-25. */
  readonly legacy?: string;
  /** The page at 2026-07-28 (by transport where the revision splits them). */
  readonly modern?: string | { readonly http: string; readonly stdio: string };
  /** Cited as it stands when no revision has a page for it (the tasks extension). */
  readonly elsewhere?: string;
}

const TOPICS: Readonly<Record<SpecTopic, TopicPages>> = {
  messages: { legacy: 'basic', modern: 'basic' },
  lifecycle: { legacy: 'basic/lifecycle', modern: 'basic/versioning' },
  versioning: { legacy: 'basic/lifecycle', modern: 'basic/versioning' },
  discover: { modern: 'server/discover' },
  ping: { legacy: 'basic/utilities/ping' },
  transports: { legacy: 'basic/transports', modern: { http: 'basic/transports/streamable-http', stdio: 'basic/transports/stdio' } },
  'stdio-end': { legacy: 'basic/lifecycle', modern: 'basic/transports/stdio' },
  progress: { legacy: 'basic/utilities/progress', modern: 'basic/patterns/progress' },
  cancellation: { legacy: 'basic/utilities/cancellation', modern: 'basic/patterns/cancellation' },
  tasks: { legacy: 'basic/utilities/tasks', elsewhere: `${MODERN} tasks extension (SEP-2663)` },
  mrtr: { modern: 'basic/patterns/mrtr' },
  subscriptions: { modern: 'basic/patterns/subscriptions' },
  tools: { legacy: 'server/tools', modern: 'server/tools' },
  resources: { legacy: 'server/resources', modern: 'server/resources' },
  prompts: { legacy: 'server/prompts', modern: 'server/prompts' },
  completion: { legacy: 'server/utilities/completion', modern: 'server/utilities/completion' },
  logging: { legacy: 'server/utilities/logging', modern: 'server/utilities/logging' },
  pagination: { legacy: 'server/utilities/pagination', modern: 'server/utilities/pagination' },
  elicitation: { legacy: 'client/elicitation', modern: 'client/elicitation' },
  sampling: { legacy: 'client/sampling', modern: 'client/sampling' },
  roots: { legacy: 'client/roots', modern: 'client/roots' },
};

/**
 * The citation of `topic` for a conversation at `version` (2025-11-25 when unknown or not a
 * revision): `<revision> <page>`, the page of that revision when it has one; else the nearest
 * revision that has it, newer first (tasks on a 2025-06-18 wire cite 2025-11-25; ping on a
 * 2026-07-28 wire, where it was removed, cites 2025-11-25).
 */
export function citeTopic(topic: SpecTopic, version: string | undefined, transport: 'http' | 'stdio' = 'http'): string {
  const at = version !== undefined && Object.hasOwn(SPEC_PAGES, version) ? version : DEFAULT_REVISION;
  const t = TOPICS[topic];
  const pageAt = (revision: string): string | undefined => {
    const modern = typeof t.modern === 'string' ? t.modern : t.modern?.[transport];
    const page = revision >= MODERN ? modern : t.legacy;
    return page !== undefined && SPEC_PAGES[revision]!.has(page) ? page : undefined;
  };
  const here = pageAt(at);
  if (here) return `${at} ${here}`;
  if (t.elsewhere && at >= MODERN) return t.elsewhere;
  const newer = SPEC_REVISIONS.filter((r) => r > at);
  const older = SPEC_REVISIONS.filter((r) => r < at).reverse();
  for (const revision of [...newer, ...older]) {
    const page = pageAt(revision);
    if (page) return `${revision} ${page}`;
  }
  return t.elsewhere ?? `${at} basic`;
}

/** True when `revision` has a page named `page`. */
export function specPageExists(revision: string, page: string): boolean {
  return Object.hasOwn(SPEC_PAGES, revision) && SPEC_PAGES[revision]!.has(page);
}

/** A revision's pages from a space-separated list, with its top `index` page. */
function pages(list: string): ReadonlySet<string> {
  return new Set(['index', ...list.split(' ')]);
}
