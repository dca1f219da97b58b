/**
 * Asking for a config's `${input:ID}` on the terminal, before the host starts (config-vars.ts):
 * the input's description as the question, a password's typing not echoed, a pickString's
 * options listed (by number or by name), an empty answer taking the default. Ctrl+C or the end
 * of input refuses, naming the input.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { inputEnvName, type AskInput, type ConfigInput } from './config-vars.ts';

export function terminalAsk(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): AskInput {
  return (asked: ConfigInput) => new Promise<string>((resolve, reject) => {
    let muted = false;
    // A password's keys reach readline but not the screen.
    const screen = new Writable({ write: (chunk, _enc, done) => (muted || output.write(chunk), done()) });
    const rl = createInterface({ input, output: screen, terminal: true });
    const why = (what: string) => new Error(`\${input:${asked.id}} ("${asked.description}") was not answered (${what}); set ${inputEnvName(asked.id)} to give it without asking`);
    let settled = false;
    const finish = (error: Error | undefined, value?: string) => {
      if (settled) return;
      settled = true;
      rl.close();
      if (error) reject(error);
      else resolve(value!);
    };
    rl.on('SIGINT', () => (output.write('\n'), finish(why('Ctrl+C'))));
    rl.on('close', () => finish(why('end of input')));
    // readline passes its input's errors on here (unheard, they threw): a terminal that hung up
    // fails setRawMode with EIO when readline gives raw mode back.
    rl.on('error', (error: Error) => finish(why(`the terminal failed: ${error.message}`)));
    const options = asked.options ?? [];
    const list = options.map((o, i) => `  ${i + 1}. ${o}${o === asked.default ? ' (default)' : ''}\n`).join('');
    const hint = asked.default !== undefined && !asked.password ? ` [${asked.default}]` : '';
    output.write(`${list}${asked.description}${hint}: `);
    muted = asked.password;
    rl.question('', (answer) => {
      if (asked.password) output.write('\n');
      const text = asked.password ? answer : answer.trim();
      const picked = /^\d+$/.test(text) && options[Number(text) - 1] !== undefined ? options[Number(text) - 1]! : text;
      finish(undefined, picked === '' && asked.default !== undefined ? asked.default : picked);
    });
  });
}
