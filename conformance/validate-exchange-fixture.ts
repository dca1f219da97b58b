// Message builders and one whole legacy exchange, shared by the validator's test files.
import type { Direction } from './method-map.ts';
import { createMessageValidator, type Violation } from './validate.ts';

export type Msg = Record<string, unknown>;
export type Step = { direction: Direction; message: Msg };
export const C2S: Direction = 'client-to-server';
export const S2C: Direction = 'server-to-client';
export const LEGACY = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
type Legacy = (typeof LEGACY)[number] | '2024-11-05';

export const req = (id: string | number | null, method: string, params?: Msg): Msg =>
  params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
export const note = (method: string, params?: Msg): Msg => (params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
export const ok = (id: string | number, result: Msg): Msg => ({ jsonrpc: '2.0', id, result });
export const fail = (id: string | number, code: number, message: string): Msg => ({ jsonrpc: '2.0', id, error: { code, message } });

/** initialize .. tools/list .. tools/call with progress and a server->client request .. an error. */
export function legacyExchange(version: Legacy): Step[] {
  const elicitation = version >= '2025-06-18'; // client/elicitation arrived in 2025-06-18
  const steps: Step[] = [
    { direction: C2S, message: req(1, 'initialize', {
      protocolVersion: version,
      capabilities: elicitation ? { elicitation: {} } : { roots: { listChanged: true } },
      clientInfo: { name: 'test-client', version: '1.0.0' },
    }) },
    { direction: S2C, message: ok(1, {
      protocolVersion: version,
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: { name: 'test-server', version: '1.0.0' },
    }) },
    { direction: C2S, message: note('notifications/initialized') },
    { direction: C2S, message: req(2, 'tools/list') },
    { direction: S2C, message: ok(2, { tools: [{
      name: 'weather',
      description: 'Current weather',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    }] }) },
    { direction: C2S, message: req(3, 'tools/call', { name: 'weather', arguments: { city: 'Paris' }, _meta: { progressToken: 'tok-3' } }) },
    { direction: S2C, message: note('notifications/progress', { progressToken: 'tok-3', progress: 1, total: 3 }) },
    { direction: S2C, message: note('notifications/message', { level: 'info', data: 'fetching' }) },
    { direction: S2C, message: note('notifications/progress', { progressToken: 'tok-3', progress: 2, total: 3 }) },
  ];
  if (elicitation) {
    steps.push(
      { direction: S2C, message: req('srv-1', 'elicitation/create', {
        message: 'Which unit?',
        requestedSchema: { type: 'object', properties: { unit: { type: 'string', enum: ['C', 'F'] } }, required: ['unit'] },
      }) },
      { direction: C2S, message: ok('srv-1', { action: 'accept', content: { unit: 'C' } }) },
    );
  } else {
    steps.push({ direction: S2C, message: req('srv-1', 'ping') }, { direction: C2S, message: ok('srv-1', {}) });
  }
  steps.push(
    { direction: S2C, message: ok(3, { content: [{ type: 'text', text: '21 C' }], isError: false }) },
    { direction: C2S, message: req(4, 'tools/call', { name: 'nope' }) },
    { direction: S2C, message: fail(4, -32602, 'Unknown tool: nope') },
    { direction: C2S, message: req(5, 'ping') },
    { direction: S2C, message: ok(5, {}) },
  );
  return steps;
}

export function run(version: string, steps: readonly Step[]): Violation[] {
  const validator = createMessageValidator(version);
  return steps.flatMap((s) => validator.validate(s.message, s.direction));
}

export const summary = (vs: readonly Violation[]): string => vs.map((v) => `${v.definition}: ${v.message}`).join('\n');
