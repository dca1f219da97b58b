/** A terminal's input and output as in-memory pipes, with everything written kept as text (host terminal tests). */
import { PassThrough } from 'node:stream';

export function pipes(): { input: PassThrough; output: PassThrough; text(): string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.setEncoding('utf8').on('data', (d: string) => { text += d; });
  return { input, output, text: () => text };
}
