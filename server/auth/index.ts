/** mcpwire/server's OAuth protected-resource side: metadata, challenges, token verification. */
export { createProtectedResource } from './protected-resource.ts';
export type { ProtectedResource, ProtectedResourceOptions, DpopOptions } from './protected-resource.ts';
export { createJwtVerifier } from './jwt-verifier.ts';
export type { JwtVerifierOptions } from './jwt-verifier.ts';
export { createIntrospectionVerifier } from './introspection.ts';
export type { IntrospectionVerifierOptions } from './introspection.ts';
export { createMemoryReplayCache } from './replay-cache.ts';
export type { ReplayCache, MemoryReplayCacheOptions } from './replay-cache.ts';
export { replayCacheContract } from './replay-cache-contract.ts';
export type { ReplayCacheContractCase } from './replay-cache-contract.ts';
export { TokenRejectedError, TokenRejection, AuthUnavailableError } from './errors.ts';
export type { TokenVerifier, VerifiedToken } from './types.ts';
export type { ResourceMetadata } from './metadata.ts';
export type { ScopedCall, ScopesFor } from './call-scopes.ts';
