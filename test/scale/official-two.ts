// The official conformance suite's server leg against two `serve --http --fixtures --redis`
// instances behind the round-robin proxy (issue #18), one leg by hand with its whole report
// (npm test runs both legs through official-legs.test.ts):
//   npm run build && node --conditions=mcpwire-source --import tsx test/scale/official-two.ts [--requirements 2025-11-25]
// The last line is run-server.ts's "N passed, M failed"; the exit code is its exit code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster } from './cluster.ts';

const runServer = fileURLToPath(new URL('../../conformance/official/run-server.ts', import.meta.url));
const cluster = await startCluster(2, ['--fixtures']);
if (!cluster) process.exit(0);
let code: number | null = 1;
try {
  code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runServer, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, MCPWIRE_OFFICIAL_SERVER_URL: cluster.proxy.url },
    });
    child.once('exit', (c) => resolve(c));
  });
} finally {
  const served = cluster.proxy.served;
  process.stdout.write(`proxy: ${served.length} requests, ${served.filter((s) => s.backend === 0).length} to instance 0, ${served.filter((s) => s.backend === 1).length} to instance 1\n`);
  await cluster.stop();
}
process.exitCode = code ?? 1;
