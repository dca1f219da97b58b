/** mcpwire/client: an MCP client over any Transport. */
export { createClient } from './client.ts';
export type {
  McpClient, ClientOptions, CallOptions, CallToolOptions, ElicitationOptions, InboundContext, ListKind, NotificationContext, RejoinState,
} from './types.ts';
export { applyElicitationDefaults, elicitationContentProblems, requestedSchemaProblem } from './elicitation.ts';
export { urlElicitationsOf, isUrlElicitation } from './url-elicitation.ts';
export type { WaitForElicitationOptions } from './url-elicitation.ts';
export { samplingRequestProblem, samplingResultProblem } from './sampling.ts';
export { rootsProblem } from './inbound.ts';
export { createMemoryTokenStore, createFileTokenStore, isTokenRecord, tokenFileName } from './tokens.ts';
export type { TokenStore, TokenRecord, InflightRequest, TokenStoreOptions, FileTokenStoreOptions } from './tokens.ts';
export { tokenStoreContract } from './tokens.contract.ts';
