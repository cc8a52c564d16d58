// run: steps in the real bash: pipes, heredocs, loops, variables, sleep in simulated time,
// expectations with the printed text in their failure messages, curl requests recorded.
import { describe, expect, it } from 'vitest';
import { checkRunExpect } from '../../src/run/run-step';
import { DEMO } from './fixtures';
import { labScenario, playScenario } from './helpers';

describe('run steps', () => {
  it('plays a script against the simulated cluster', async () => {
    const steps = await playScenario(
      labScenario(
        DEMO,
        [
          {
            name: 'script',
            run: [
              'set -e',
              'kubectl get deploy -n demo -o name | sort',
              'kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: "$NS" }\nEOF',
              'for i in 1 2 3; do kubectl exec -n demo deploy/curl -- curl -s http://echo; done | grep -c hello',
              'before=$(kubectl get cm c -n demo -o jsonpath={.metadata.creationTimestamp})',
              'sleep 3600',
              'kubectl get cm c -n demo --no-headers',
            ].join('\n'),
            expect: { stdoutContains: ['deployment.apps/curl\ndeployment.apps/echo\nconfigmap/c created\n3\nc     0     60m'] },
          },
        ],
        { env: { NS: 'demo' } },
      ),
    );
    expect(steps[0]!.failures).toEqual([]);
    expect(steps[0]).toMatchObject({ type: 'run', passed: true, exitCode: 0, stderr: '' });
    expect(steps[0]!.requests).toHaveLength(3);
    expect(steps[0]!.summary).toMatchObject({ count: 3, statuses: { '200': 3 } });
    expect(steps[0]!.endMs).toBeGreaterThanOrEqual(3_600_000);
  });
  it("prints curl -v's trace above the body and the closing line below it, as a terminal shows them", async () => {
    const [r] = await playScenario(
      labScenario(DEMO, [{ name: 'verbose', run: ['kubectl exec -n demo deploy/curl -- curl -sv http://echo 2>&1', "kubectl exec -n demo deploy/curl -- sh -c 'curl -sv http://echo' 2>&1"].join('\n') }]),
    );
    const once = /\* Host echo:80 was resolved\.\n[^]*\* Request completely sent off\n< HTTP\/1\.1 200 OK\n[^]*< \nhello\n\* Connection #0 to host echo left intact\n/.source;
    expect(r!.stdout).toMatch(new RegExp(`^${once}${once}$`));
  });
  it('reports the exit code and output of a failing script', async () => {
    const [r] = await playScenario(labScenario(DEMO, [{ name: 'bad', run: 'kubectl exec -n demo deploy/curl -- curl -s http://nowhere' }]));
    expect(r).toMatchObject({ passed: false, exitCode: 6, stderr: 'command terminated with exit code 6\n' });
    expect(r!.failures).toEqual(['exit code 6, expected 0; stdout: (nothing); stderr: "command terminated with exit code 6\\n"']);
  });
  it('runs sh -c inside exec as the pod (its curl and hostname)', async () => {
    const [r] = await playScenario(
      labScenario(DEMO, [{ name: 'loop', run: 'kubectl exec -n demo deploy/curl -- sh -c "for i in \\$(seq 1 4); do curl -s http://echo; done; hostname"', expect: { stdoutContains: ['hello\nhello\nhello\nhello\ncurl-'] } }]),
    );
    expect(r!.failures).toEqual([]);
    expect(r!.requests).toHaveLength(4);
  });
});

describe('run step expectations', () => {
  const ran = { stdout: 'a\nb\n', stderr: 'warn\n', exitCode: 0 };
  it.each([
    [{}, []],
    [{ stdout: 'a\nb' }, []],
    [{ stdout: 'a' }, ['stdout was "a\\nb\\n", expected "a"']],
    [{ exitCode: 3 }, ['exit code 0, expected 3; stdout: "a\\nb\\n"; stderr: "warn\\n"']],
    [{ stdoutContains: ['b', 'c'] }, ['stdout does not contain "c"; stdout: "a\\nb\\n"']],
    [{ stderrContains: ['nope'] }, ['stderr does not contain "nope"; stderr: "warn\\n"']],
  ])('%j', (expect_, failures) => expect(checkRunExpect(expect_, ran)).toEqual(failures));
});
