/**
 * Elicitation as a form a person fills in (2025-11-25 client/elicitation). Form mode renders
 * `requestedSchema` field by field with its defaults, re-prompts on a wrong answer, and ends
 * in accept (with content), decline or cancel. URL mode shows the whole URL and opens nothing
 * without consent. The same field prompts collect a tool's arguments from its input schema.
 */
import type { ElicitFormParams, ElicitResult, ElicitUrlParams } from 'mcpwire/protocol';
import { hostFills } from './call-args.ts';
import { fieldPrompt, fieldsFromSchema, optionLines, parseAnswer, showValue, type FormField } from './fields.ts';

/** What a form needs from the terminal. `ask` resolves undefined when input ended or the question was withdrawn. */
export interface FormIO {
  print(text: string): void;
  ask(prompt: string): Promise<string | undefined>;
  /** The screen's size when it is a terminal (long text is paged to fit it; see pager.ts). */
  readonly screen?: { readonly columns: number; readonly rows: number };
}

/** Typed at any field prompt: end the form (or the argument prompts) with this action. */
const ESCAPES: Record<string, 'decline' | 'cancel'> = { '!decline': 'decline', '!cancel': 'cancel', '!c': 'cancel' };

/** Typed at a field prompt: leave an optional field empty (no default, no earlier answer). */
const CLEAR = '!clear';

const indent = (text: string, by = '  ') => text.split('\n').map((l) => `${by}${l}`).join('\n');

/**
 * Ask one field until the answer is valid. With `blankOmits` (tool arguments) a blank answer
 * leaves the argument out so the server applies its own default, which the prompt still shows.
 */
async function askField(
  io: FormIO, field: FormField, pad: string, blankOmits = false,
): Promise<{ value: unknown; omitted: boolean } | { escape: 'decline' | 'cancel' }> {
  if (field.description) io.print(`${pad}${field.description}`);
  if (field.kind === 'enum' || field.kind === 'multi') io.print(optionLines(field).map((l) => pad + l).join('\n'));
  const reader: FormField = blankOmits ? { ...field, hasDefault: false, required: field.required && !field.hasDefault } : field;
  for (;;) {
    const text = await io.ask(`${pad}${fieldPrompt(field)}`);
    if (text === undefined) return { escape: 'cancel' };
    const escape = ESCAPES[text.trim().toLowerCase()];
    if (escape) return { escape };
    // Leave the field empty: in an edit, Enter keeps the earlier answer, and an optional
    // answer given once could not be taken back.
    if (text.trim().toLowerCase() === CLEAR) {
      if (!reader.required) return { value: undefined, omitted: true };
      io.print(`${pad}  ✗ ${field.title} is required, so it cannot be left empty; try again (or !cancel)`);
      continue;
    }
    const parsed = parseAnswer(reader, text);
    if (parsed.ok) return { value: parsed.value, omitted: parsed.omitted };
    io.print(`${pad}  ✗ ${parsed.message}; try again (or !cancel)`);
  }
}

/**
 * The answer `--yes` gives a form: every default, booleans ticked (the user said yes to
 * everything), the first choice of an enum without default. A required field that cannot be
 * filled that way makes the answer a cancel, since nothing can be invented for it.
 */
export function autoAnswer(params: ElicitFormParams): ElicitResult {
  const content: Record<string, string | number | boolean | string[]> = {};
  for (const field of fieldsFromSchema(params.requestedSchema)) {
    let value: unknown;
    if (field.kind === 'boolean') value = true;
    else if (field.hasDefault) value = field.default;
    else if (field.kind === 'enum') value = field.options[0]?.value;
    if (value === undefined) {
      if (field.required) return { action: 'cancel' };
      continue;
    }
    content[field.name] = value as string | number | boolean | string[];
  }
  return { action: 'accept', content };
}

/**
 * Run a form: show the message, ask accept / decline / cancel, then each field (re-asking until
 * valid), then confirm before sending. Anything that ends input early is a cancel.
 */
export async function runElicitationForm(io: FormIO, params: ElicitFormParams, header: string): Promise<ElicitResult> {
  const fields = fieldsFromSchema(params.requestedSchema);
  io.print(`${header}\n${indent(params.message, '  │ ')}`);
  if (fields.length > 0) {
    io.print(`  Form: ${fields.map((f) => `${f.title}${f.required ? ' [required]' : ''}`).join(', ')}`);
  }
  for (;;) {
    const first = await io.ask('  Answer? [a]ccept and fill in, [d]ecline, [c]ancel (Enter = accept): ');
    if (first === undefined) return { action: 'cancel' };
    const choice = first.trim().toLowerCase();
    if (choice === 'd' || choice === 'decline' || choice === 'n' || choice === 'no') return { action: 'decline' };
    if (choice === 'c' || choice === 'cancel') return { action: 'cancel' };
    if (choice === '' || choice === 'a' || choice === 'accept' || choice === 'y' || choice === 'yes') break;
    io.print('  ✗ type a, d or c');
  }
  let asked = fields;
  for (;;) {
    const content: Record<string, string | number | boolean | string[]> = {};
    for (const field of asked) {
      const answer = await askField(io, field, '  ');
      if ('escape' in answer) return { action: answer.escape };
      if (!answer.omitted && answer.value !== undefined) content[field.name] = answer.value as string | number | boolean | string[];
    }
    const summary = fields.filter((f) => f.name in content).map((f) => `${f.title} = ${showValue(f, content[f.name])}`);
    io.print(`  Your answers: ${summary.length > 0 ? summary.join('; ') : '(none)'}`);
    for (;;) {
      const send = await io.ask('  Send? [y]es, [e]dit, [d]ecline, [c]ancel (Enter = yes): ');
      if (send === undefined) return { action: 'cancel' };
      const s = send.trim().toLowerCase();
      if (s === '' || s === 'y' || s === 'yes') return { action: 'accept', content };
      if (s === 'd' || s === 'decline') return { action: 'decline' };
      if (s === 'c' || s === 'cancel') return { action: 'cancel' };
      if (s === 'e' || s === 'edit') {
        // Editing starts from the answers given: Enter keeps each one (not the schema's default).
        asked = fields.map((f) => (f.name in content ? { ...f, default: content[f.name], hasDefault: true, earlier: true } : f));
        io.print(`  Edit: Enter keeps an answer shown as [now: ...]; ${CLEAR} empties an optional one`);
        break;
      }
      io.print('  ✗ type y, e, d or c');
    }
  }
}

/** Where a URL points, said plainly so a person sees the real host before consenting. */
function urlSummary(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol === 'https:' ? 'a secure' : `an ${u.protocol.replace(':', '')}`} link to ${u.host}`;
  } catch {
    return 'a link that is not a valid URL';
  }
}

/**
 * URL mode: print the whole URL and where it leads, ask for consent; `open` is called only
 * after a yes (it may be absent: then the person opens it). Accept means "I went there".
 */
export async function runUrlElicitation(
  io: FormIO, params: ElicitUrlParams, header: string, open: ((url: string) => Promise<boolean>) | undefined,
): Promise<ElicitResult> {
  io.print(`${header}\n${indent(params.message, '  │ ')}\n  URL (${urlSummary(params.url)}):\n    ${params.url}`);
  for (;;) {
    const prompt = open ? '  Open it? [y]es, [n]o (decline), [c]ancel: ' : '  Will you open it yourself? [y]es, [n]o (decline), [c]ancel: ';
    const answer = await io.ask(prompt);
    if (answer === undefined) return { action: 'cancel' };
    const a = answer.trim().toLowerCase();
    if (a === 'n' || a === 'no' || a === 'd' || a === 'decline') return { action: 'decline' };
    if (a === 'c' || a === 'cancel') return { action: 'cancel' };
    if (a === 'y' || a === 'yes') {
      if (open && !(await open(params.url))) io.print('  Could not open a browser here; open the URL above yourself.');
      return { action: 'accept' };
    }
    io.print('  ✗ type y, n or c');
  }
}

/**
 * Collect a tool's arguments: every property not already given, prompted with its type,
 * default and whether it is required. Blank leaves an argument out (the server's default
 * applies). Resolves undefined when the person typed !cancel or input ended.
 */
export async function promptToolArguments(io: FormIO, inputSchema: unknown, given: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const args = { ...given };
  // The idempotency key is not asked: the host adds one when the call is sent (call-resend.ts).
  for (const field of fieldsFromSchema(inputSchema).filter((f) => !(f.name in given) && !hostFills(f.name))) {
    const answer = await askField(io, field, '  ', true);
    if ('escape' in answer) return undefined;
    if (!answer.omitted && answer.value !== undefined) args[field.name] = answer.value;
  }
  return args;
}
