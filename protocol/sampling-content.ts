/**
 * Sampling content across protocol versions. 2025-11-25 client/sampling lets a message, and
 * the model's answer, hold an array of content blocks; 2025-06-18 and earlier hold exactly one
 * block (their SamplingMessage and CreateMessageResult schemas). Shared by the server (the
 * messages it sends) and the client (the answer it returns).
 */
import { versionAtLeast } from './versions.ts';

/** The first version whose sampling content may be an array of blocks. */
export const SAMPLING_ARRAYS_SINCE = '2025-11-25';

/**
 * `content` as `version` can carry it: unchanged from 2025-11-25 on (or with no version);
 * before, an array of one block is that block. An array of any other length cannot be
 * carried: the reason is returned as a string.
 */
export function fitSamplingContent<C>(content: C | C[], version: string | undefined): { content: C | C[] } | string {
  if (!Array.isArray(content) || version === undefined || versionAtLeast(version, SAMPLING_ARRAYS_SINCE)) return { content };
  if (content.length === 1) return { content: content[0] as C };
  return `${content.length} content blocks in one message need protocol ${SAMPLING_ARRAYS_SINCE}; this session uses ${version}, whose messages hold one block`;
}
