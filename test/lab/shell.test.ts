// `meshsim shell` driven through tmux: the prompt shows the context, kubectl answers from the lab.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEMO } from './fixtures';
import { testDir } from '../test-dir';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ROOT = resolve(__dirname, '../..');
const CLI = `node --import tsx ${join(ROOT, 'test/lab/lab-cli.ts')}`;

function capture(session: string): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
}

async function waitFor(session: string, pattern: RegExp, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const text = capture(session);
    if (pattern.test(text) || Date.now() > end) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasTmux)('meshsim shell', () => {
  it('prompts with the context and runs kubectl against the scenario', async () => {
    const dir = testDir('shell');
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, stringify({ apiVersion: 'meshsim.dev/v1alpha1', kind: 'Scenario', metadata: { name: 'shell' }, spec: { clusters: [{ name: 'cluster1' }], resources: [{ inline: DEMO }] } }));
    const session = `meshsim-test-${process.pid}`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', `cd ${ROOT} && ${CLI} shell ${file}`]);
    try {
      expect(await waitFor(session, /\(meshsim cluster1\) [$#]/m)).toMatch(/\(meshsim cluster1\) [$#]/m);
      execFileSync('tmux', ['send-keys', '-t', session, 'kubectl get deploy -n demo', 'Enter']);
      const text = await waitFor(session, /echo +2\/2/);
      expect(text).toMatch(/NAME   READY   UP-TO-DATE   AVAILABLE   AGE\ncurl   1\/1     1            1           \d+s\necho   2\/2/);
      execFileSync('tmux', ['send-keys', '-t', session, 'kubectl exec -n demo deploy/curl -- curl -s http://echo', 'Enter']);
      expect(await waitFor(session, /\nhello\n/)).toMatch(/\nhello\n/);
      execFileSync('tmux', ['send-keys', '-t', session, `${CLI} istioctl waypoint list -n demo`, 'Enter']);
      expect(await waitFor(session, /No waypoints found\./)).toMatch(/No waypoints found\./);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 60_000);

  it('removes the lab folder when its terminal closes', async () => {
    const dir = testDir('shell');
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, stringify({ apiVersion: 'meshsim.dev/v1alpha1', kind: 'Scenario', metadata: { name: 'shell' }, spec: { clusters: [{ name: 'cluster1' }], resources: [{ inline: DEMO }] } }));
    const session = `meshsim-test-hup-${process.pid}`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', `cd ${ROOT} && ${CLI} shell ${file}`]);
    let lab = '';
    try {
      await waitFor(session, /\(meshsim cluster1\) [$#]/m);
      execFileSync('tmux', ['send-keys', '-t', session, 'echo "LAB=${MESHSIM_LAB##*:}."', 'Enter']);
      lab = /^LAB=(\/\S+)\.$/m.exec(await waitFor(session, /^LAB=\/\S+\.$/m))?.[1] ?? '';
      expect(existsSync(lab)).toBe(true);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
    const end = Date.now() + 10_000;
    while (existsSync(lab) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(lab)).toBe(false);
  }, 60_000);
});
