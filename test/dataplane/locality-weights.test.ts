// `localityLbSetting.distribute` as Istio turns it into locality weights (loadbalancer.go
// applyLocalityWeights, util.LocalityMatch; the cases of loadbalancer_test.go "Distribute") and
// as Envoy scales a locality's weight by its availability (HostSetImpl::effectiveLocalityWeight).
import { describe, expect, it } from 'vitest';
import { distributeWeights, effectiveLocalityWeight, localityMatch } from '../../src/dataplane/locality-weights';

const loc = (s: string) => {
  const [region = '', zone = '', subzone = ''] = s.split('/');
  return { region, zone, subzone };
};

describe('locality weights from distribute', () => {
  it('matches region exactly or by *, and a missing zone or subzone matches any', () => {
    expect(localityMatch(loc('r1/z1/s1'), 'r1/z1/s1')).toBe(true);
    expect(localityMatch(loc('r1/z1/s1'), 'r1/*')).toBe(true);
    expect(localityMatch(loc('r1/z1/s1'), 'r1')).toBe(true);
    expect(localityMatch(loc('r1/z1/s1'), '*/z1/*')).toBe(true);
    expect(localityMatch(loc('r1/z1/s1'), 'r1/z2')).toBe(false);
    expect(localityMatch(loc('r1/z1/s1'), 'r2/*')).toBe(false);
  });

  it('gives the named localities their weights and drops the rest (distribution between subzones)', () => {
    const localities = ['r1/z1/s1', 'r1/z1/s2', 'r1/z1/s3', 'r2/z1/s1'].map((l) => ({ locality: loc(l), hosts: 1 }));
    const rules = [{ from: 'r1/z1/s1', to: [{ locality: 'r1/z1/s1', weight: 80 }, { locality: 'r1/z1/s2', weight: 15 }, { locality: 'r1/z1/s3', weight: 5 }] }];
    expect(distributeWeights(loc('r1/z1/s1'), rules, localities)).toEqual([80, 15, 5, undefined]);
  });

  it('shares a pattern matching several localities by their host counts, rounding up, and leaves the weights alone when no from matches', () => {
    const localities = [{ locality: loc('r1/a/'), hosts: 1 }, { locality: loc('r1/b/'), hosts: 2 }, { locality: loc('r2/c/'), hosts: 1 }];
    const rules = [{ from: 'r1/*', to: [{ locality: 'r1/*', weight: 50 }, { locality: 'r2', weight: 50 }] }];
    expect(distributeWeights(loc('r1/a/'), rules, localities)).toEqual([17, 34, 50]);
    expect(distributeWeights(loc('r3/x/'), rules, localities)).toBeUndefined();
  });

  it("scales a locality's weight by its healthy share times 1.4, at most 1", () => {
    expect(effectiveLocalityWeight(80, 4, 4)).toBe(80);
    expect(effectiveLocalityWeight(80, 3, 4)).toBe(80);
    expect(effectiveLocalityWeight(80, 1, 2)).toBeCloseTo(56, 10);
    expect(effectiveLocalityWeight(80, 0, 2)).toBe(0);
  });
});
