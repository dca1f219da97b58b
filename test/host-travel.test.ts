// The interactive host driven through stdin/stdout, as a person would: book a trip accepting
// the price, decline one, fill arguments field by field, get hints for mistakes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnHost, startServer, tempDir, type Server, answerModel } from './host-harness.ts';

let server: Server;
let dir: { path: string; remove(): Promise<void> };

const travel = suite('host: booking a trip from the prompt');

travel.before(async () => {
  dir = await tempDir('mcpwire-host-travel-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 20 });
});
travel.after(async () => {
  await killAll();
  await dir.remove();
});

travel('book a trip, accepting the price: progress per step, the form, the booking', async () => {
  const host = spawnHost(['--url', server.url, '--state', `${dir.path}/host-a`]);
  const c = conversation(host);
  await c.expect(/Connected to mcpwire-agents/);
  await c.expect(/Type "help"/, 'travel_agent destination=Lisbon travellers=2');
  for (let step = 1; step <= 5; step++) await c.expect(new RegExp(`travel_agent [█░]+ +\\d+% \\(${step}/10\\)`));
  await c.expect(/Book this trip\? London → Lisbon/);
  await c.expect(/Answer\? \[a\]ccept and fill in, \[d\]ecline, \[c\]ancel/, 'a');
  await c.expect(/Book this trip \(yes\/no\) \[default: no\] \[required\]:/, 'yes');
  await c.expect(/Fare class \(1-3 or a name\) \[default: Economy: [^\]]+\] \[required\]:/, 'premium');
  await c.expect(/Notes \(text, max 500 chars\):/, 'vegetarian meals');
  await c.expect(/Your answers: Book this trip = yes; Fare class = Premium economy[^;]*; Notes = vegetarian meals/);
  await c.expect(/Send\?/, '');
  await c.expect(/→ accept/);
  // travel_agent asks the host's model to summarise the trip before booking
  await answerModel(c, '');
  await c.expect(/\(10\/10\)/);
  const done = await c.expect(/✓ #1 travel_agent finished in [\d.]+ s\n([\s\S]*?)↗ (agents:\/\/bookings\/\S+)/);
  assert.match(done[1]!, /Booked: London → Lisbon/);
  assert.match(done[1]!, /premium economy/);
  await c.expect(/./, `read ${done[2]}`);
  await c.expect(/"status":\s*"booked"/, 'quit');
  await c.expect(/Goodbye!/);
  assert.is(await host.exited(), 0);
  assert.is(host.out().match(/\(6\/10\)/g)?.length, 1, 'each step once');
});

travel('decline: the server is told so, nothing is booked, and it is not shown as a success', async () => {
  const host = spawnHost(['--url', server.url, '--state', `${dir.path}/host-b`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent Rome');
  await c.expect(/Answer\?/, 'd');
  await c.expect(/→ decline/);
  const end = await c.expect(/([✓✗]) #1 travel_agent[^\n]*\n([^\n]*)/);
  assert.match(end[2]!, /declin/i);
  host.send('quit');
  assert.is(await host.exited(), 0);
  assert.not.match(host.out(), /Booked:/);
});

travel('a tool without arguments is asked field by field from its schema; mistakes are re-asked', async () => {
  const host = spawnHost(['--url', server.url, '--state', `${dir.path}/host-c`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'research_agent');
  await c.expect(/its arguments, one by one/);
  await c.expect(/topic \(text, max 200 chars\) \[required\]:/, '');
  await c.expect(/topic is required; try again/);
  await c.expect(/topic \(text, max 200 chars\) \[required\]:/, 'urban heat');
  await c.expect(/depth \(1-3 or a name\) \[default: standard\]:/, 'deep');
  await c.expect(/▶ #1 research_agent \{"topic":"urban heat","depth":"deep"\}/);
  await c.expect(/asks the model:/);
  await answerModel(c, 'y');
  await c.expect(/→ answered by mcpwire-local-summariser/);
  await c.expect(/✓ #1 research_agent finished/, 'quit');
  assert.is(await host.exited(), 0);
});

travel('unknown input gets a hint; bad arguments say what to type; brackets print as typed', async () => {
  const host = spawnHost(['--url', server.url, '--state', `${dir.path}/host-d`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel-agent Tokyo');
  await c.expect(/✗ Unknown command: "travel-agent Tokyo"\. Did you mean "travel_agent"\?/, '[default: Paris]');
  await c.expect(/✗ Unknown command: "\[default: Paris\]"/, 'travel_agent city=Tokyo');
  await c.expect(/this tool has no argument "city"; it takes destination, origin, dates, travellers, budget/, 'travel_agent ?');
  await c.expect(/\n {2}travellers \(integer, >= 1, <= 9\) \[default: 1\]/, 'help');
  await c.expect(/list \| l +the tools of every server/);
  await c.expect(/Tools: travel_agent, research_agent/, 'STATUS');
  await c.expect(/No calls yet\./, 'q');
  assert.is(await host.exited(), 0);
});

travel.run();
