// client/elicitation (2025-11-25 and 2026-07-28) "Capabilities": `elicitation: {}` is form
// mode, and "Clients declaring the elicitation capability MUST support at least one mode". A
// client given `onElicit` and `modes: []` declared `elicitation: {}`, i.e. form, which the
// caller had not named; now it is a RangeError at createClient.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';

const modes = suite('client: elicitation.modes must name a mode when onElicit is given');
const info = { name: 'c', version: '1' };
const onElicit = async () => ({ action: 'decline' as const });

modes('modes: [] with onElicit is a RangeError naming the rule', () => {
  assert.throws(() => createClient(info, { onElicit, elicitation: { modes: [] } }),
    (e: Error) => e instanceof RangeError && /elicitation\.modes names neither 'form' nor 'url' \(\[\]\)/.test(e.message) && /MUST support a mode/.test(e.message));
  assert.throws(() => createClient(info, { onElicit, elicitation: { modes: ['forms' as never] } }), RangeError);
});

modes('one mode, the default, no onElicit, or a capability given by hand are accepted', () => {
  for (const m of [['form'], ['url'], ['form', 'url']] as const) createClient(info, { onElicit, elicitation: { modes: m } });
  createClient(info, { onElicit });
  createClient(info, { elicitation: { modes: [] } });
  createClient(info, { onElicit, elicitation: { modes: [] }, capabilities: { elicitation: { url: {} } } });
});

modes.run();
