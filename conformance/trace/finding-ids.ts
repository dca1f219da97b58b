/**
 * The tracer flags rule breaks with the ids `mcpwire check` uses (its RULE_CATALOG), so a
 * finding read in a trace and one in a check report name the same rule. The validator's own
 * name for what failed (a schema definition or a `rule:` id) stays beside it.
 */
import { VALIDATOR_RULE_IDS } from '../check/validator-rules.ts';
import type { RuleId } from '../check/catalog.ts';
import type { TraceDirection } from './record.ts';

/** The catalog id of a finding whose validator name is `definition`, seen going `direction` over `transport`. */
export function ruleIdOf(definition: string, transport: 'stdio' | 'http', direction: TraceDirection): RuleId {
  // 2025-11-25 basic/transports (stdio): the server's stdout carries only JSON-RPC messages.
  if (definition === 'rule:json' && transport === 'stdio' && direction === 'server-to-client') return 'stdio.stdout-messages';
  return VALIDATOR_RULE_IDS[definition] ?? 'schema.message';
}
