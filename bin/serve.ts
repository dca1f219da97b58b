/** `mcpwire serve`: the demo tool set over stdio (HTTP arrives with the HTTP transport). */
import { createServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';
import { registerDemoTools } from '../examples/demo/tools.ts';
import { parseCommandArgs, UsageError } from './args.ts';

const HELP = `Usage: mcpwire serve --stdio [options]

Serve the demo tools (echo, count, ask_user, summarize).

Options:
  --stdio              newline-delimited JSON-RPC on stdin/stdout (logs go to stderr)
  --max-line-bytes N   largest accepted input line (default 4194304)
  -h, --help           show this help
`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    stdio: { type: 'boolean' },
    'max-line-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.stdio) throw new UsageError('choose a transport: --stdio');
  const maxLineBytes = values['max-line-bytes'] === undefined ? undefined : Number(values['max-line-bytes']);
  if (maxLineBytes !== undefined && (!Number.isInteger(maxLineBytes) || maxLineBytes < 1)) {
    throw new UsageError('--max-line-bytes must be a positive integer');
  }
  const server = createServer({ name: 'mcpwire-demo', version: '0.1.0' }, {
    instructions: 'Demo tools: echo, count (progress), ask_user (elicitation), summarize (sampling).',
    onError: (error) => process.stderr.write(`mcpwire serve: ${error.message}\n`),
  });
  registerDemoTools(server);
  const transport = createStdioServerTransport(maxLineBytes === undefined ? {} : { maxLineBytes });
  const closed = new Promise<void>((resolve) => {
    void server.connect(transport, { onClose: () => resolve() });
  });
  await closed;
  return 0;
}
