// `meshsim kubectl exec … -- sh -c` outside a lab starts a lab of its own for the local shell; when
// the command is interrupted or killed, the shell is ended with it and the lab's folder removed.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEMO } from './fixtures';
import { testDir } from '../test-dir';

const LAB_CLI = resolve(__dirname, 'lab-cli.ts');

describe('kubectl exec handed to a local shell', () => {
  it.each([['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const)('on %s ends the shell, removes the lab folder and exits %i', async (signal, code) => {
    const file = join(testDir('exec'), 'scenario.yaml');
    writeFileSync(file, stringify({ apiVersion: 'meshsim.dev/v1alpha1', kind: 'Scenario', metadata: { name: 'exec' }, spec: { clusters: [{ name: 'cluster1' }], resources: [{ inline: DEMO }] } }));
    const child = spawn(process.execPath, ['--import', 'tsx', LAB_CLI, 'kubectl', '--scenario', file, 'exec', '-n', 'demo', 'deploy/curl', '--', 'sh', '-c', 'echo "LAB=${MESHSIM_LAB##*:}."; exec /bin/sleep 30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    const end = Date.now() + 20_000;
    while (!/^LAB=\/\S+\.$/m.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const lab = /^LAB=(\/\S+)\.$/m.exec(out)?.[1] ?? '';
    expect(existsSync(lab), out).toBe(true);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(existsSync(lab)).toBe(false);
  }, 30_000);
});
