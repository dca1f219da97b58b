// The JSON body of a request to a test's own hand-written HTTP server (hostile or scripted
// peers of the client); an empty body reads as {}.
import type { IncomingMessage } from 'node:http';

export function bodyOf(req: IncomingMessage): Promise<Record<string, any>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}')));
  });
}
