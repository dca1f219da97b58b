/**
 * Answering `sampling/createMessage` (2025-11-25 client/sampling) through a pluggable
 * provider. The default is the offline extractive summariser; an OpenAI-compatible chat
 * completions endpoint is used when `MCPWIRE_OPENAI_BASE_URL` or `MCPWIRE_OPENAI_API_KEY` is
 * set. The host shows each request and asks before answering (unless `--yes`).
 */
import { boundedText, type CreateMessageParams, type CreateMessageResult, type SamplingMessage } from 'mcpwire/protocol';
import { networkReason } from './explain.ts';
import { summariseText } from './summarise.ts';

/** Something that can answer a sampling request. */
export interface SamplingProvider {
  /** Shown to the user: which model answers. */
  readonly label: string;
  /** True for a real language model (the planner then asks it to decompose goals). */
  readonly isModel: boolean;
  complete(params: CreateMessageParams, signal: AbortSignal): Promise<CreateMessageResult>;
}

/** The text of one message (non-text blocks named in brackets). */
export function messageText(message: SamplingMessage): string {
  const blocks = Array.isArray(message.content) ? message.content : [message.content];
  return blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n');
}

/** The local extractive summariser: offline, deterministic, instant. */
export function createLocalSummariser(): SamplingProvider {
  return {
    label: 'the local extractive summariser (offline)',
    isModel: false,
    async complete(params) {
      const prompt = params.messages.filter((m) => m.role === 'user').map(messageText).join('\n\n');
      const text = summariseText(prompt, { maxTokens: params.maxTokens });
      return {
        role: 'assistant',
        content: { type: 'text', text: text === '' ? '(the request held no text to summarise)' : text },
        model: 'mcpwire-local-summariser',
        stopReason: 'endTurn',
      };
    },
  };
}

/** How long a model endpoint may take to answer (`timeoutMs`), in ms. */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;

/** Most bytes of a model endpoint's reply read (`maxReplyBytes`): a chat completion is a few KiB. */
export const DEFAULT_MODEL_REPLY_BYTES = 1024 * 1024;

export interface OpenAiOptions {
  /** e.g. https://api.openai.com/v1, or a local server's /v1. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs?: number;
  /** Most bytes of a reply (answer or error) read; past it the request fails. Default {@link DEFAULT_MODEL_REPLY_BYTES}. */
  maxReplyBytes?: number;
  fetch?: typeof globalThis.fetch;
}

/** A provider for any OpenAI-compatible `POST {baseUrl}/chat/completions` endpoint. */
export function createOpenAiProvider(options: OpenAiOptions): SamplingProvider {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MODEL_REPLY_BYTES;
  const tooLarge = `the model endpoint's reply is larger than ${maxReplyBytes} bytes, the limit ${SAMPLING_ENV.maxReplyBytes} sets; it was not read further`;
  return {
    label: `${options.model} at ${new URL(endpoint).host}`,
    isModel: true,
    async complete(params, signal) {
      const messages: Array<{ role: string; content: string }> = [];
      if (params.systemPrompt) messages.push({ role: 'system', content: params.systemPrompt });
      for (const m of params.messages) messages.push({ role: m.role, content: messageText(m) });
      const body: Record<string, unknown> = { model: options.model, messages, max_tokens: params.maxTokens };
      if (params.temperature !== undefined) body.temperature = params.temperature;
      if (params.stopSequences !== undefined) body.stop = params.stopSequences;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: 'POST', headers, body: JSON.stringify(body),
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
      } catch (error) {
        // fetch says only "fetch failed" (the reason is in its cause) or "The operation was
        // aborted due to timeout": the person is told which endpoint and why.
        if (signal.aborted) throw error;
        if ((error as Error).name === 'TimeoutError') throw new Error(`the model endpoint ${endpoint} did not answer within ${timeoutMs} ms (${SAMPLING_ENV.timeoutMs} sets it)`, { cause: error });
        throw new Error(`cannot reach the model endpoint ${endpoint} (${networkReason(error) ?? (error as Error).message})`, { cause: error });
      }
      // Read within a bound: an endless or huge reply would otherwise be held until the timeout.
      if (!response.ok) {
        const body = await boundedText(response, maxReplyBytes).catch(() => '');
        const detail = body === undefined ? `(${tooLarge})` : body.slice(0, 200);
        throw new Error(`the model endpoint answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
      }
      const text = await boundedText(response, maxReplyBytes);
      if (text === undefined) throw new Error(tooLarge);
      let json: { model?: string; choices?: Array<{ message?: { content?: string }; finish_reason?: string }> };
      try {
        json = JSON.parse(text) as typeof json;
      } catch (error) {
        throw new Error(`the model endpoint's reply is not JSON (${(error as Error).message})`);
      }
      const choice = json.choices?.[0];
      const answer = choice?.message?.content;
      if (typeof answer !== 'string') throw new Error('the model endpoint answered without a message');
      const stop = choice?.finish_reason === 'length' ? 'maxTokens' : choice?.finish_reason === 'stop' ? 'endTurn' : (choice?.finish_reason ?? 'endTurn');
      return { role: 'assistant', content: { type: 'text', text: answer }, model: json.model ?? options.model, stopReason: stop };
    },
  };
}

/** The environment variables the README documents. */
export const SAMPLING_ENV = {
  baseUrl: 'MCPWIRE_OPENAI_BASE_URL',
  apiKey: 'MCPWIRE_OPENAI_API_KEY',
  model: 'MCPWIRE_OPENAI_MODEL',
  timeoutMs: 'MCPWIRE_OPENAI_TIMEOUT_MS',
  maxReplyBytes: 'MCPWIRE_OPENAI_MAX_REPLY_BYTES',
} as const;

/** A positive whole number from the environment, or undefined when unset; anything else throws naming the variable. */
function envCount(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got "${text}"`);
  return n;
}

/** The provider the environment asks for: OpenAI-compatible when configured, else the local summariser. */
export function providerFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): SamplingProvider {
  const baseUrl = env[SAMPLING_ENV.baseUrl];
  const apiKey = env[SAMPLING_ENV.apiKey];
  if (!baseUrl && !apiKey) return createLocalSummariser();
  const timeoutMs = envCount(env, SAMPLING_ENV.timeoutMs);
  const maxReplyBytes = envCount(env, SAMPLING_ENV.maxReplyBytes);
  return createOpenAiProvider({
    baseUrl: baseUrl || 'https://api.openai.com/v1',
    apiKey: apiKey || undefined,
    model: env[SAMPLING_ENV.model] || 'gpt-4o-mini',
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxReplyBytes !== undefined ? { maxReplyBytes } : {}),
  });
}

/**
 * Lines that show a person everything the server asks the model, before they approve it:
 * the limits, the whole system prompt and every message in full (nobody approves text they
 * have not seen; the host pages long requests, see pager.ts).
 */
export function describeSamplingRequest(params: CreateMessageParams): string[] {
  const lines: string[] = [];
  const facts = [`up to ${params.maxTokens} tokens`];
  if (params.temperature !== undefined) facts.push(`temperature ${params.temperature}`);
  if (params.includeContext && params.includeContext !== 'none') facts.push(`asks to include context: ${params.includeContext}`);
  const hints = params.modelPreferences?.hints?.map((h) => h.name).filter(Boolean);
  if (hints && hints.length > 0) facts.push(`model hints: ${hints.join(', ')}`);
  if (params.tools && params.tools.length > 0) facts.push(`offers tools: ${params.tools.map((t) => t.name).join(', ')}`);
  lines.push(`  (${facts.join('; ')})`);
  // A blank line of the text stays blank: indented, it left trailing spaces in a log.
  const shown = (head: string, text: string) => text.split('\n').map((l, i) => (i > 0 && l.trim() === '' ? '' : `  ${i === 0 ? head : '  '}${l}`));
  if (params.systemPrompt) lines.push(...shown('system: ', params.systemPrompt));
  for (const m of params.messages) lines.push(...shown(`${m.role}: `, messageText(m)));
  return lines;
}
