/**
 * The tracer flags rule breaks with the ids `mcpwire check` uses (its RULE_CATALOG), so a
 * finding read in a trace and one in a check report name the same rule. The validator's own
 * name for what failed (a schema definition or a `rule:` id) stays beside it.
 */
import { RULES } from '../validate.ts';
import type { RuleId } from '../check/catalog.ts';
import type { TraceDirection } from './record.ts';

/** Validator and tracer rule names -> catalog ids; a schema definition is `schema.message`. */
const BY_DEFINITION: Readonly<Record<string, RuleId>> = {
  [RULES.KnownVersion]: 'lifecycle.version',
  [RULES.RequestIdNotNull]: 'jsonrpc.id-not-null',
  [RULES.RequestIdUnique]: 'jsonrpc.id-unique',
  [RULES.ResponseMatchesRequest]: 'jsonrpc.response-correlation',
  [RULES.ProgressIncreases]: 'progress.increases',
  [RULES.ResultType]: 'result.result-type',
  [RULES.InputRequired]: 'result.input-required',
  [RULES.Batch]: 'jsonrpc.batch',
};

/** The catalog id of a finding whose validator name is `definition`, seen going `direction` over `transport`. */
export function ruleIdOf(definition: string, transport: 'stdio' | 'http', direction: TraceDirection): RuleId {
  // 2025-11-25 basic/transports (stdio): the server's stdout carries only JSON-RPC messages.
  if (definition === 'rule:json' && transport === 'stdio' && direction === 'server-to-client') return 'stdio.stdout-messages';
  return BY_DEFINITION[definition] ?? 'schema.message';
}
