// capability.elicitation-mode (2025-11-25 client/elicitation: capabilities, "Servers MUST NOT
// send elicitation requests with modes that are not supported by the client"): a tool that asks
// in URL mode is called again from a client declaring form mode only, in both eras (2026-07-28:
// the modes travel in each request's _meta clientCapabilities, and the URL-mode request in an
// InputRequiredResult). The seeded fault (servers-protocol.ts url-to-form-client) is found with
// exactly that rule, once per era, saying which tool;
// the same server unbroken (it refuses URL mode to that client) passes it and fails nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_FAULTS } from './servers-protocol.ts';
import { checkHttpFault } from './http-fault-check.ts';

const mode = suite('check: URL-mode elicitation only to a client that declared the url mode');
const fault = PROTOCOL_FAULTS.find((f) => f.name === 'url-to-form-client')!;

mode('a server that sends URL mode to a form-only client: capability.elicitation-mode fails in both eras, naming the tool, and nothing else', async () => {
  const { failed } = await checkHttpFault(fault);
  assert.equal(failed, [
    'capability.elicitation-mode: sign_in answered input_required with a URL-mode elicitation/create to a client whose _meta clientCapabilities declared elicitation in form mode only',
    'capability.elicitation-mode: sign_in sent a URL-mode elicitation/create to a client that declared elicitation in form mode only',
  ]);
});

mode('the same server unbroken: capability.elicitation-mode passes, no failure', async () => {
  const { failed, passIds, findings } = await checkHttpFault({ ...fault, name: 'url-tool-clean', wrap: (inner) => inner });
  const modePasses = findings.filter((f) => f.id === 'capability.elicitation-mode' && f.outcome === 'pass').map((f) => `${f.era}: ${f.detail}`);
  assert.equal(failed, []);
  assert.ok(passIds.includes('capability.elicitation-mode'), passIds.join(' '));
  // Session 31: the words are those of every narrowed-client probe (capability.sampling-tools too).
  assert.equal(modePasses.sort(), [
    'legacy: sign_in sent no URL-mode elicitation/create to a client that declared elicitation in form mode only',
    'modern: sign_in asked no URL-mode elicitation/create of a client whose _meta clientCapabilities declared elicitation in form mode only',
  ]);
});

mode.run();
