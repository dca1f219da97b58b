/**
 * Form-mode elicitations that ask for a secret (2025-11-25 and 2026-07-28 client/elicitation:
 * forms must not ask for secrets, "passwords, API keys, tokens, payment data", as
 * `../shared/notes/spec-notes.md` keeps the MUST; URL mode is the way for those). Only what a
 * field is named or titled is read (a description may warn against entering one), and only as
 * English words: a secret named in another language, one the list leaves out (a PIN: "pin" is
 * also a map pin), or one shown only by a field's `format` or `pattern` is not seen, and a field
 * whose name holds a listed word for another reason is reported. A heuristic, so its rule is a
 * SHOULD and its finding says which word it read. The validator's rule over `elicitation/create` requests (before
 * 2026-07-28) and the elicitations of an `InputRequiredResult` (2026-07-28).
 */
import { isObject as isObj } from './validate-schema-checks.ts';

/** What a secret is called, in words (a field's name split at case changes, `_` and `-`). */
const SECRET = /\b(password|passwd|passphrase|api key|secret|client secret|private key|(access|auth|bearer|refresh|api) token|credit card|card number|cvv|cvc|card security code|iban|ssn|social security number)\b/i;

/** `name` as words: `apiKey` and `api_key` read "api key". */
const words = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');

/** What breaks the rule, with where it is. */
export interface SecretField {
  readonly path: string;
  readonly detail: string;
}

/** The first field of a form-mode `elicitation/create`'s params whose name or title names a secret; `at`: the params' pointer. */
export function secretField(params: unknown, at: string): SecretField | undefined {
  if (!isObj(params) || (params.mode !== undefined && params.mode !== 'form')) return undefined;
  const properties = isObj(params.requestedSchema) && isObj(params.requestedSchema.properties) ? params.requestedSchema.properties : {};
  for (const [name, field] of Object.entries(properties)) {
    const title = isObj(field) && typeof field.title === 'string' ? field.title : '';
    const byName = SECRET.exec(words(name));
    const said = byName ?? SECRET.exec(title);
    if (said === null) continue;
    const pointer = `${at}/requestedSchema/properties/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    // Said as what was read (a word of the name or the title), not as a certainty: the words can mislead.
    return { path: pointer, detail: `the form asks for ${JSON.stringify(name)}${title === '' ? '' : ` (titled ${JSON.stringify(title)})`}, whose ${byName ? 'name' : 'title'} reads as a secret (${JSON.stringify(said[0].toLowerCase())}): a form must not ask for secrets (passwords, API keys, tokens, payment data); ask for them in URL mode` };
  }
  return undefined;
}

/** The first secret field in the form-mode elicitations of a 2026-07-28 InputRequiredResult. */
export function secretFieldInAsks(result: unknown): SecretField | undefined {
  const asks = isObj(result) && isObj(result.inputRequests) ? result.inputRequests : {};
  for (const [key, ask] of Object.entries(asks)) {
    if (!isObj(ask) || ask.method !== 'elicitation/create') continue;
    const found = secretField(ask.params, `/result/inputRequests/${key.replaceAll('~', '~0').replaceAll('/', '~1')}/params`);
    if (found) return found;
  }
  return undefined;
}
