/**
 * The catalog id of each rule the message validator (conformance/validate.ts) reports, so
 * `mcpwire check` and `mcpwire trace` name a rule break the same way.
 */
import { RULES } from '../validate.ts';
import type { RuleId } from './catalog.ts';

/** Validator rule names -> catalog ids; anything else the validator reports is a schema finding. */
export const VALIDATOR_RULE_IDS: Readonly<Record<string, RuleId>> = {
  [RULES.KnownVersion]: 'lifecycle.version',
  [RULES.RequestIdNotNull]: 'jsonrpc.id-not-null',
  [RULES.RequestIdUnique]: 'jsonrpc.id-unique',
  [RULES.ResponseMatchesRequest]: 'jsonrpc.response-correlation',
  [RULES.ProgressIncreases]: 'progress.increases',
  [RULES.ResultType]: 'result.result-type',
  [RULES.InputRequired]: 'result.input-required',
  [RULES.Batch]: 'jsonrpc.batch',
  [RULES.ResultXorError]: 'jsonrpc.result-xor-error',
  [RULES.ProgressToken]: 'progress.token',
  [RULES.LogUnasked]: 'modern.log-level',
  [RULES.TaskUnasked]: 'tasks.undeclared-client',
  [RULES.LogBelowLevel]: 'logging.level',
  [RULES.ServerRequest]: 'modern.server-request',
  [RULES.ClientResponse]: 'client.modern-response',
  [RULES.RootUri]: 'client.roots-file-uri',
  [RULES.FormSecret]: 'elicitation.form-secrets',
};
