/**
 * The demo's servers, as the CLI serves them (`mcpwire serve --agents`, `npm start`): the
 * long-running travel and research agents, and the small demo tools of `serve --stdio`.
 */
export { registerAgents, DEFAULT_STEP_DELAY_MS } from './agents/index.ts';
export type { Agents, AgentsOptions } from './agents/index.ts';
export { registerDemoTools } from './demo/tools.ts';
