import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/lab/text/age';
import { formatTable, tabwrite } from '../../src/lab/text/table';
import { jsonPath } from '../../src/lab/text/jsonpath';
import { parseSelector, selects } from '../../src/lab/selector';
import { sleepMs } from '../../src/lab/sleep';

describe("kubectl's AGE (apimachinery HumanDuration)", () => {
  it.each([
    [0, '0s'],
    [42_000, '42s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [182_000, '3m2s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [3 * 3_600_000 + 5 * 60_000, '3h5m'],
    [30 * 3_600_000, '30h'],
    [51 * 3_600_000, '2d3h'],
    [10 * 86_400_000, '10d'],
    [800 * 86_400_000, '2y70d'],
    [-5_000, '<invalid>'],
  ])('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});

describe('tabwriter', () => {
  it('pads every column but the last by 3 with a minimum of 6 (kubectl get)', () => {
    expect(formatTable([['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'], ['waypoint', 'istio-waypoint', '10.96.58.95', 'True', '42s']])).toBe(
      'NAME       CLASS            ADDRESS       PROGRAMMED   AGE\nwaypoint   istio-waypoint   10.96.58.95   True         42s\n',
    );
    expect(formatTable([['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], ['details-v1-cf74bb974-nw94k', '1/1', 'Running', '0', '42s']])).toBe(
      'NAME                         READY   STATUS    RESTARTS   AGE\ndetails-v1-cf74bb974-nw94k   1/1     Running   0          42s\n',
    );
  });
  it('istioctl waypoint list pads by 5', () => {
    expect(formatTable([['NAME', 'REVISION', 'TRAFFIC TYPE', 'PROGRAMMED'], ['waypoint', 'default', 'none', 'True']], { padding: 5 })).toBe(
      'NAME         REVISION     TRAFFIC TYPE     PROGRAMMED\nwaypoint     default      none             True\n',
    );
  });
  it('a line without tabs ends a column block (kubectl describe)', () => {
    expect(tabwrite('Name:\tx\nNamespace:\tdefault\nIPs:\n  IP:\t1.2.3.4\nControlled By:\tReplicaSet/x\n', { padding: 2 })).toBe(
      'Name:       x\nNamespace:  default\nIPs:\n  IP:           1.2.3.4\nControlled By:  ReplicaSet/x\n',
    );
  });
});

describe('jsonpath', () => {
  const list = { kind: 'List', items: [{ metadata: { name: 'a', labels: { 'istio.io/rev': 'x' } } }, { metadata: { name: 'b' } }] };
  it.each([
    ['{.items[0].metadata.name}', 'a'],
    ['{.items[*].metadata.name}', 'a b'],
    ['{range .items[*]}{.metadata.name}{"\\n"}{end}', 'a\nb\n'],
    ["{.items[0].metadata.labels['istio\\.io/rev']}", 'x'],
    ['{.items[0].metadata.labels.istio\\.io/rev}', 'x'],
    ['{.items[1].metadata.labels}', ''],
    ['{.kind}', 'List'],
  ])('%s', (tpl, want) => expect(jsonPath(tpl, list)).toBe(want));
});

describe('label selectors (-l)', () => {
  const labels = { app: 'reviews', version: 'v2' };
  it.each([
    ['app=reviews', true],
    ['app==reviews,version=v1', false],
    ['version!=v1', true],
    ['app', true],
    ['!app', false],
    ['version in (v2,v3)', true],
    ['version notin (v2)', false],
  ])('%s → %s', (sel, want) => expect(selects(parseSelector(sel), labels)).toBe(want));
});

describe('sleep in a lab advances simulated time', () => {
  it.each([
    [['5'], 5000],
    [['0.5'], 500],
    [['1m', '30s'], 90_000],
    [['2h'], 7_200_000],
  ])('%j → %d ms', (args, ms) => expect(sleepMs(args)).toBe(ms));
  it('refuses forever and junk', () => {
    expect(sleepMs(['infinity'])).toMatch(/cannot sleep forever/);
    expect(sleepMs(['x'])).toBe("sleep: invalid time interval 'x'");
  });
});
