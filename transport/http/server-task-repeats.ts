/**
 * The standalone stream of a session whose client may come back to it while a task runs
 * again: a session restored after a restart, or one of a store shared by several instances
 * (another instance may have carried its stream until it died). What the re-run sends while
 * the client is away goes on that stream in the store, under its old token, and the client's
 * GET with `Last-Event-ID` resumes it (2025-11-25 basic/transports: resumability).
 *
 * A re-run (server/tasks) repeats, word for word, some of what its first run reported: a
 * handler that replays its finished steps sends their progress and logs again. Those
 * messages carry the task's `related-task` `_meta` (2025-11-25 basic/utilities/tasks), so one
 * that the stream's history already holds is not stored a second time, and the client sees
 * each once (basic/utilities/progress: progress MUST increase).
 */
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { isObject, isRequest } from '../../protocol/jsonrpc.ts';
import type { EventStore } from '../event-store/index.ts';
import { tokenOf } from '../event-store/event-id.ts';
import { ServerStream, type ServerStreamOptions, type StreamSettings } from './server-stream.ts';
import { STANDALONE } from './server-session-shared.ts';

/** The `_meta` key that ties a message to its task. */
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

function taskTagged(message: JsonRpcMessage): boolean {
  const params = (message as { params?: unknown }).params;
  return isObject(params) && isObject(params._meta) && RELATED_TASK in params._meta;
}

/** The task messages of one stream's history, each matched at most once by a repeat. */
export class TaskRepeats {
  readonly #stored = new Map<string, number>();

  /** The task messages stored on the stream of `token`; a history that cannot be read is reported and guards nothing. */
  static async read(store: EventStore, token: string, sessionId: string, onError: (error: Error) => void): Promise<TaskRepeats> {
    const repeats = new TaskRepeats();
    try {
      await store.replayAfter(`${token}.0`, (_id, m) => repeats.#add(m), sessionId);
    } catch (error) {
      repeats.#stored.clear();
      const code = error instanceof McpError ? error.code : LocalErrorCode.Store;
      onError(new McpError(code, `history of the standalone stream of session ${sessionId} could not be read; a re-run task's repeated steps may be stored twice: ${(error as Error).message}`, { cause: error }));
    }
    return repeats;
  }

  /** True when `message` is a task message the history already holds (it is then used up). */
  repeated(message: JsonRpcMessage): boolean {
    if (this.#stored.size === 0 || !taskTagged(message)) return false;
    const key = JSON.stringify(message);
    const left = this.#stored.get(key);
    if (left === undefined) return false;
    if (left === 1) this.#stored.delete(key);
    else this.#stored.set(key, left - 1);
    return true;
  }

  #add(message: JsonRpcMessage): void {
    if (!taskTagged(message)) return;
    const key = JSON.stringify(message);
    this.#stored.set(key, (this.#stored.get(key) ?? 0) + 1);
  }
}

/** What {@link StandaloneKeeper} needs from its session. */
export interface StandaloneKeeperOptions {
  sessionId: string;
  settings: StreamSettings;
  /** The session (its priming tells whether its client can resume a stream at all). */
  session: ServerStreamOptions['session'];
  /**
   * With a store shared by instances only the messages of a task running here are kept:
   * another instance may carry the stream live and send the rest itself.
   */
  taskMessagesOnly: boolean;
}

/**
 * The standalone stream of one session, re-opened in the store once, whether a message
 * to keep or the client's resume comes first: both get the same stream, so a client that
 * resumes while the re-run sends gets each message once and in order (the stream's steps
 * run one after another: an append either precedes the resume's replay or is sent live).
 */
export class StandaloneKeeper {
  readonly #options: StandaloneKeeperOptions;
  #opening: Promise<{ stream: ServerStream; token: string } | undefined> | undefined;
  #repeats: TaskRepeats | undefined;

  constructor(options: StandaloneKeeperOptions) {
    this.#options = options;
  }

  /** True when `message` is a task message the stream's history already holds (it is then used up). */
  repeated(message: JsonRpcMessage): boolean {
    return this.#repeats?.repeated(message) ?? false;
  }

  /**
   * True when `message`, with no standalone connection to carry it, is kept for the client.
   * A request is not: it would wait for an answer from a client that is away.
   */
  keeps(message: JsonRpcMessage): boolean {
    // Only a client that got event ids (2025-11-25 priming events) can resume.
    if (isRequest(message) || this.#options.session.primingFor() === undefined) return false;
    return !this.#options.taskMessagesOnly || taskTagged(message);
  }

  /** Store `message` on the standalone stream (`current()`, once a client opened one meanwhile). */
  async keep(message: JsonRpcMessage, current: () => ServerStream | undefined): Promise<void> {
    const opened = await this.#open();
    if (opened && !this.repeated(message)) await (current() ?? opened.stream).write(message);
  }

  /**
   * The client's GET with `Last-Event-ID` of stream `token`: when it is the standalone
   * stream, that stream, made the session's with `adopt` (which answers with the one the
   * session carries).
   */
  async resumed(token: string, adopt: (stream: ServerStream, token: string) => ServerStream): Promise<ServerStream | undefined> {
    const opened = await this.#open();
    return opened?.token === token ? adopt(opened.stream, token) : undefined;
  }

  #open(): Promise<{ stream: ServerStream; token: string } | undefined> {
    return this.#opening ??= this.#load();
  }

  async #load(): Promise<{ stream: ServerStream; token: string } | undefined> {
    const { sessionId, settings, session } = this.#options;
    const stream = new ServerStream({ key: { sessionId, streamId: STANDALONE }, kind: 'standalone', settings, session });
    let token: string;
    try {
      token = tokenOf(await stream.open());
    } catch (error) {
      // The store cannot register the stream now (disk full): nothing is kept, a resume
      // replays what is stored, and the next message tries again.
      this.#opening = undefined;
      settings.onError(error as Error);
      return undefined;
    }
    this.#repeats = await TaskRepeats.read(settings.store, token, sessionId, (e) => settings.onError(e));
    return { stream, token };
  }
}
