// `meshsim run … -o json | head`: the reader closes the pipe after the first lines. The run must
// end as it would have (its own exit code), without an unhandled EPIPE stack trace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(__dirname, '../../src/cli/meshsim.js');
const SCENARIO = join(__dirname, '../../scenarios/accounts-finance');

function runAndCloseEarly(): Promise<{ code: number | null; stderr: string; got: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', SCENARIO, '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let got = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      got = d.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, got }));
  });
}

describe('a reader that closes the pipe early', () => {
  it('ends the run with its own exit code and no stack trace', async () => {
    const r = await runAndCloseEarly();
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(node:/);
    expect(r.code).toBe(0);
  }, 60_000);
});
