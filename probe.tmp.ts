import { runCheck } from './conformance/check/runner.ts';
const t0 = Date.now();
const r = await runCheck({ target: { kind: 'stdio', command: process.execPath, args: ['--conditions=source', '--import', 'tsx', 'conformance/faults/stdio-server.ts', process.argv[2]!] }, timeoutMs: 5000, stdioExitMs: 3000 });
console.log(Date.now() - t0, r.findings.filter((x) => x.outcome !== 'pass').map((x) => `${x.id} ${x.outcome} ${x.detail}`));
