// Measures one lab command's wall-clock round trip through the shim (not a test: timings vary by
// machine). Run: node --import tsx test/lab/measure-shim.ts
import { LabSession } from '../../src/lab/session';
import { startLabServer } from '../../src/lab/server';
import { DEMO } from './fixtures';
import { labScenario, labSession } from './helpers';

const session: LabSession = labSession(labScenario(DEMO));
const server = await startLabServer(session);
const script = `for i in $(seq 1 100); do s=$(date +%s%N); kubectl get pods -n demo >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done`;
// The script runs in a child while this process serves it, so spawn asynchronously.
const { spawn } = await import('node:child_process');
const out: string = await new Promise((resolve) => {
  const child = spawn('/bin/bash', ['-c', script], { env: { ...process.env, ...server.env } });
  let text = '';
  child.stdout.on('data', (b: Buffer) => (text += b.toString()));
  child.on('close', () => resolve(text));
});
await server.close();
const us = out.trim().split('\n').map(Number).sort((a, b) => a - b);
console.log(`kubectl get pods via the shim, 100 calls: median ${(us[50]! / 1000).toFixed(1)} ms, p90 ${(us[90]! / 1000).toFixed(1)} ms, max ${(us[99]! / 1000).toFixed(1)} ms`);
