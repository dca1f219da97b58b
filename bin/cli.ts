/**
 * `mcpwire <command>`: the dispatcher. Each command lives in its own file and has
 * `--help`. Exit codes: 0 success, 1 failure at run time, 2 bad usage.
 */
import { serveCommand } from './serve.ts';
import { conformanceClientCommand } from './conformance-client.ts';
import { hostCommand } from './host.ts';
import { demoCommand } from './demo.ts';
import { traceCommand } from './trace.ts';
import { checkCommand } from './check.ts';
import { UsageError } from './args.ts';

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  serve: { summary: 'serve MCP tools over stdio (--stdio) or Streamable HTTP (--http)', run: serveCommand },
  host: { summary: 'an interactive MCP host (--url URL or --config FILE); --exec runs one command', run: hostCommand },
  demo: { summary: 'the agents server and an interactive host in one terminal (npm start)', run: demoCommand },
  trace: { summary: 'watch an MCP conversation on the wire, explained (-- <stdio server command> or --target URL)', run: traceCommand },
  check: { summary: 'check an MCP server (URL or -- command) against the spec; findings with fixes', run: checkCommand },
  'conformance-client': { summary: 'the client the official conformance suite launches (client mode)', run: conformanceClientCommand },
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
