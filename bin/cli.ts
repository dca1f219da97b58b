/**
 * `mcpwire <command>`: the dispatcher. Each command lives in its own file and has
 * `--help`. Exit codes: 0 success, 1 failure at run time, 2 bad usage.
 */
import { UsageError } from './args.ts';

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

// Each command's module is loaded when it runs: loaded all at once (the host, the checker,
// the tracer, Redis), `mcpwire --help` took 1.05 s and `mcpwire serve --help` 0.57 s.
const commands: Record<string, Command> = {
  serve: { summary: 'serve MCP tools over stdio (--stdio) or Streamable HTTP (--http)', run: async (argv) => (await import('./serve.ts')).serveCommand(argv) },
  host: { summary: 'an interactive MCP host (--url URL or --config FILE); --exec runs one command', run: async (argv) => (await import('./host.ts')).hostCommand(argv) },
  demo: { summary: 'the agents server and an interactive host in one terminal (npm start)', run: async (argv) => (await import('./demo.ts')).demoCommand(argv) },
  trace: { summary: 'watch an MCP conversation on the wire, explained (-- <stdio server command> or --target URL)', run: async (argv) => (await import('./trace.ts')).traceCommand(argv) },
  check: { summary: 'check an MCP server (URL or -- command) against the spec; findings with fixes', run: async (argv) => (await import('./check.ts')).checkCommand(argv) },
  'conformance-client': {
    summary: 'the client the official conformance suite launches (client mode)',
    run: async (argv) => (await import('./conformance-client.ts')).conformanceClientCommand(argv),
  },
};

const HELP = `mcpwire: the Model Context Protocol, from scratch

Usage: mcpwire <command> [options]

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(20)}${c.summary}`).join('\n')}

Run \`mcpwire <command> --help\` for a command's options.
`;

/** Run the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`mcpwire: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mcpwire ${name}: ${error.message}\nRun \`mcpwire ${name} --help\` for usage.\n`);
      return 2;
    }
    process.stderr.write(`mcpwire ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
