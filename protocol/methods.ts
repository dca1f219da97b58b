/**
 * Typed method maps, one per direction (2025-11-25 schema: ClientRequest, ServerRequest,
 * ClientNotification, ServerNotification). Types only: `peer.request(method, params)`
 * infers the result from these maps, and `onRequest(method, handler)` checks the handler.
 */
import type { BaseNotificationParams, BaseRequestParams, EmptyResult } from './types/base.ts';
import type { InitializeParams, InitializeResult } from './types/lifecycle.ts';
import type { CallToolParams, CallToolResult, ListToolsParams, ListToolsResult } from './types/tools.ts';
import type {
  ListResourcesParams, ListResourcesResult, ListResourceTemplatesParams, ListResourceTemplatesResult,
  ReadResourceParams, ReadResourceResult, ResourceUpdatedParams, SubscribeParams, UnsubscribeParams,
} from './types/resources.ts';
import type { GetPromptParams, GetPromptResult, ListPromptsParams, ListPromptsResult } from './types/prompts.ts';
import type {
  CreateMessageParams, CreateMessageResult, ElicitationCompleteParams, ElicitParams, ElicitResult, ListRootsResult,
} from './types/client-features.ts';
import type {
  CancelledParams, CompleteParams, CompleteResult, LoggingMessageParams, ProgressParams, SetLevelParams,
} from './types/utilities.ts';
import type { CancelTaskResult, CreateTaskResult, GetTaskResult, ListTasksParams, ListTasksResult, TaskIdParams, TaskStatusParams } from './types/tasks.ts';
import type { Result } from './types/base.ts';

/** One request method: its params and result types. */
export interface MethodSpec<P, R> {
  params: P;
  result: R;
}

/** Requests either side may send. */
interface CommonRequests {
  ping: MethodSpec<BaseRequestParams | undefined, EmptyResult>;
  'tasks/get': MethodSpec<TaskIdParams, GetTaskResult>;
  'tasks/result': MethodSpec<TaskIdParams, Result>;
  'tasks/list': MethodSpec<ListTasksParams, ListTasksResult>;
  'tasks/cancel': MethodSpec<TaskIdParams, CancelTaskResult>;
}

/** Requests a client sends to a server. */
export interface ClientRequests extends CommonRequests {
  initialize: MethodSpec<InitializeParams, InitializeResult>;
  'tools/list': MethodSpec<ListToolsParams, ListToolsResult>;
  'tools/call': MethodSpec<CallToolParams, CallToolResult | CreateTaskResult>;
  'resources/list': MethodSpec<ListResourcesParams, ListResourcesResult>;
  'resources/templates/list': MethodSpec<ListResourceTemplatesParams, ListResourceTemplatesResult>;
  'resources/read': MethodSpec<ReadResourceParams, ReadResourceResult>;
  'resources/subscribe': MethodSpec<SubscribeParams, EmptyResult>;
  'resources/unsubscribe': MethodSpec<UnsubscribeParams, EmptyResult>;
  'prompts/list': MethodSpec<ListPromptsParams, ListPromptsResult>;
  'prompts/get': MethodSpec<GetPromptParams, GetPromptResult>;
  'logging/setLevel': MethodSpec<SetLevelParams, EmptyResult>;
  'completion/complete': MethodSpec<CompleteParams, CompleteResult>;
}

/** Requests a server sends to a client (legacy era only). */
export interface ServerRequests extends CommonRequests {
  'sampling/createMessage': MethodSpec<CreateMessageParams, CreateMessageResult | CreateTaskResult>;
  'elicitation/create': MethodSpec<ElicitParams, ElicitResult | CreateTaskResult>;
  'roots/list': MethodSpec<BaseRequestParams | undefined, ListRootsResult>;
}

interface CommonNotifications {
  'notifications/cancelled': CancelledParams;
  'notifications/progress': ProgressParams;
  'notifications/tasks/status': TaskStatusParams;
}

/** Notifications a client sends. */
export interface ClientNotifications extends CommonNotifications {
  'notifications/initialized': BaseNotificationParams | undefined;
  'notifications/roots/list_changed': BaseNotificationParams | undefined;
}

/** Notifications a server sends. */
export interface ServerNotifications extends CommonNotifications {
  'notifications/message': LoggingMessageParams;
  'notifications/resources/updated': ResourceUpdatedParams;
  'notifications/resources/list_changed': BaseNotificationParams | undefined;
  'notifications/prompts/list_changed': BaseNotificationParams | undefined;
  'notifications/tools/list_changed': BaseNotificationParams | undefined;
  'notifications/elicitation/complete': ElicitationCompleteParams;
}

/** The four maps seen from one end of a connection. */
export interface SideMaps {
  outRequests: object;
  inRequests: object;
  outNotifications: object;
  inNotifications: object;
}

/** A client's view: it sends client requests and handles server requests. */
export interface ClientSide extends SideMaps {
  outRequests: ClientRequests;
  inRequests: ServerRequests;
  outNotifications: ClientNotifications;
  inNotifications: ServerNotifications;
}

/** A server's view. */
export interface ServerSide extends SideMaps {
  outRequests: ServerRequests;
  inRequests: ClientRequests;
  outNotifications: ServerNotifications;
  inNotifications: ClientNotifications;
}

/** Params of request `M` in map `Map`. */
export type ParamsOf<Map, M extends keyof Map> = Map[M] extends MethodSpec<infer P, unknown> ? P : never;
/** Result of request `M` in map `Map`. */
export type ResultOf<Map, M extends keyof Map> = Map[M] extends MethodSpec<unknown, infer R> ? R : never;
