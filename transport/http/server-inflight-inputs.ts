/**
 * The inputs of a recorded call (server-inflight.ts): a re-run's questions matched against what
 * a previous process asked, and the client's answers recorded. Loaded with `import()` the first
 * time a recorded call asks or is answered (restart recovery on a durable store): a server
 * without it never loads this code (issue #20 item 3, the server entry's footprint).
 */
import { jsonEqual } from '../../protocol/json-equal.ts';
import type { JsonRpcRequest, JsonRpcResponse, RequestId } from '../../protocol/index.ts';
import type { QuestionOutcome } from './server-inflight.ts';
import type { InflightRecord, RecordedInput } from './server-session-record.ts';

/** What a ledger keeps about its calls' inputs, as the functions here read and change it. */
export interface InputBook {
  /** Inputs a previous process recorded, not yet matched by the re-run. */
  inherited: Set<RecordedInput> | undefined;
  /** Questions asked per call by this process. */
  asked: Map<RequestId, number>;
  /** Id in the previous process -> id of the same question in the re-run. */
  aliases: Map<RequestId, RequestId>;
}

/**
 * Call `call` of `record` asks `request`. Its Nth question is matched with the Nth question
 * the previous process recorded for the call: the same method and params reuse that question;
 * anything else means the re-run went another way, and what the previous process recorded
 * after that point is dropped. Undefined when the question is new: it was added to the
 * record, which the caller saves before sending it.
 */
export function matchQuestion(book: InputBook, record: InflightRecord, call: RequestId, request: JsonRpcRequest): QuestionOutcome | undefined {
  const inputs = (record.inputs ??= []);
  const nth = book.asked.get(call) ?? 0;
  book.asked.set(call, nth + 1);
  const mine = inputs.filter((i) => i.call === call);
  const earlier = mine[nth];
  if (earlier && book.inherited?.has(earlier)) {
    if (earlier.method === request.method && jsonEqual(earlier.params, request.params)) {
      book.inherited.delete(earlier);
      if (earlier.answer) return { kind: 'answered', answer: earlier.answer };
      book.aliases.set(earlier.id, request.id);
      return { kind: 'awaiting', askedAs: earlier.id };
    }
    const stale = new Set(mine.slice(nth));
    record.inputs = inputs.filter((i) => !stale.has(i));
    for (const i of stale) book.inherited.delete(i);
  }
  record.inputs.push({ call, id: request.id, method: request.method, params: request.params });
  return undefined;
}

/**
 * The client answered recorded question `input`: the answer is recorded (saved by `save`
 * first, when it is new). Resolves with the response to hand to the MCP session (its id
 * translated for a question the re-run took over), or undefined when no handler of this
 * process waits for it yet (the re-run will find it recorded).
 */
export async function recordAnswer(book: InputBook, input: RecordedInput, response: JsonRpcResponse, save: () => Promise<void>): Promise<JsonRpcResponse | undefined> {
  if (!input.answer) {
    input.answer = 'error' in response ? { error: response.error } : { result: response.result };
    await save();
  }
  const alias = book.aliases.get(input.id);
  if (alias !== undefined) {
    book.aliases.delete(input.id);
    return { ...response, id: alias } as JsonRpcResponse;
  }
  return book.inherited?.has(input) ? undefined : response;
}
