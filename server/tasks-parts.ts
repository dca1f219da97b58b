/**
 * What server/tasks-lazy.ts loads with `import()` when a server is created with `tasks`: the
 * runtime, its feature and the router of task-augmented `tools/call`. Imported by nothing
 * else, so a server without tasks never loads them (issue #20 item 3).
 */
export { TaskRuntime as TaskRuntimeImpl } from './tasks/runtime.ts';
export { createTasksFeature, routeToolCall } from './tasks/feature.ts';
