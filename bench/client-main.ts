/**
 * A bench client process: runs one repetition of one workload against one implementation
 * and prints its result as one JSON line on stdout. Argument: the implementation's name; the
 * {@link ClientJob} arrives as one JSON line on stdin, once the server is up (the process
 * loads its implementation meanwhile, while the server starts).
 */
import { implementation } from './adapters/index.ts';
import type { StdioCommand } from './adapters/types.ts';
import { runScenario } from './scenarios.ts';

/** What the orchestrator asks of a client process. */
export interface ClientJob {
  impl: string;
  workload: string;
  /** The HTTP server's endpoint (empty for stdio workloads). */
  url: string;
  /** How to start the stdio server (for stdio workloads). */
  stdio: StdioCommand;
  sizes: Record<string, number>;
}

async function readJob(): Promise<ClientJob> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin as AsyncIterable<string>) text += chunk;
  return JSON.parse(text) as ClientJob;
}

const impl = process.argv[2] ?? '';
let job: ClientJob = { impl, workload: '?', url: '', stdio: { command: '', args: [] }, sizes: {} };
try {
  const loading = implementation(impl).loadClient();
  job = await readJob();
  const { client } = await loading;
  const result = await runScenario(job.workload, { client, url: job.url, stdio: job.stdio, sizes: job.sizes, impl: job.impl });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench client (${job.impl}, ${job.workload}): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
}
