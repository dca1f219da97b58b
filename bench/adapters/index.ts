/**
 * The implementations the bench knows. To add one: write `bench/adapters/<name>-server.ts`
 * exporting `server: ServerAdapter` and `<name>-client.ts` exporting `client: ClientAdapter`
 * (see types.ts), then list it here with the workloads it can run. A process imports only the
 * side it measures: a server process holds no client code (nor the client's undici), as a
 * user's server would not, so memory rows (g) weigh the server alone.
 */
import type { ClientAdapter, ServerAdapter } from './types.ts';

export interface Implementation {
  name: string;
  /** Column heading in the table. */
  label: string;
  /** Workload ids it runs; `undefined` means all. */
  workloads?: readonly string[];
  /** Workloads that are the same exchange as another for this implementation: measured once, shown for both. */
  sameAs?: Readonly<Record<string, string>>;
  /** Part of a plain `npm run bench` (the others run only when named with `--impl`). */
  byDefault: boolean;
  loadServer(): Promise<{ server: ServerAdapter }>;
  loadClient(): Promise<{ client: ClientAdapter }>;
}

export const IMPLEMENTATIONS: readonly Implementation[] = [
  {
    name: 'mcpwire', label: 'mcpwire', byDefault: true,
    loadServer: () => import('./mcpwire-server.ts'), loadClient: () => import('./mcpwire-client.ts'),
  },
  // SDK 1.x speaks only the 2025 era: no m-* rows.
  {
    name: 'sdk1', label: 'SDK 1.x', byDefault: true, workloads: ['a', 'b-sse', 'b-json', 'c', 'c-json', 'd', 'e', 'f-elicit', 'f-sample', 'g', 'h'],
    loadServer: () => import('./sdk1-server.ts'), loadClient: () => import('./sdk1-client.ts'),
  },
  // The raw ceiling has no MCP: no resumable history (e) and no sessions to weigh (g).
  // SDK 2.x ships no event store (e).
  {
    name: 'sdk2', label: 'SDK 2.x', byDefault: true, workloads: ['a', 'b-sse', 'b-json', 'c', 'c-json', 'd', 'f-elicit', 'f-sample', 'g', 'h', 'm-b-json', 'm-b-sse', 'm-c', 'm-f',
      'mc-b-json', 'mc-b-sse', 'mc-c', 'mc-f'],
    loadServer: () => import('./sdk2-server.ts'), loadClient: () => import('./sdk2-client.ts'),
  },
  // Without MCP, elicitation and sampling are one exchange (a POST). POSTs are answered in
  // the row's mode: a JSON body (b-json) or one bare SSE event (the SSE rows).
  {
    name: 'raw', label: 'raw', byDefault: true, workloads: ['a', 'b-sse', 'b-json', 'c', 'c-json', 'd', 'f-elicit', 'f-sample', 'g', 'h'],
    sameAs: { 'f-sample': 'f-elicit' }, loadServer: () => import('./raw-server.ts'), loadClient: () => import('./raw-client.ts'),
  },
];

export function implementation(name: string): Implementation {
  const found = IMPLEMENTATIONS.find((i) => i.name === name);
  if (!found) throw new Error(`unknown implementation "${name}"; known: ${IMPLEMENTATIONS.map((i) => i.name).join(', ')}`);
  return found;
}

/** Whether `impl` runs `workloadId` itself (not when it borrows another workload's numbers). */
export function runs(impl: Implementation, workloadId: string): boolean {
  return (impl.workloads === undefined || impl.workloads.includes(workloadId)) && impl.sameAs?.[workloadId] === undefined;
}
