// Same options, same files, byte for byte; another seed, other choices.
import { describe, expect, it } from 'vitest';
import { generateScenario, type GenerateInput } from '../../src/generate';

const rows: { id: string; input: GenerateInput }[] = [
  { id: 'one cluster with waypoints, policies and routes', input: { services: 40, pods: 150, waypointFraction: 0.5, policiesPerService: 3, routesPerService: 2 } },
  { id: 'three clusters', input: { services: 30, pods: 100, clusters: 3, waypointFraction: 0.3 } },
  { id: 'one file', input: { services: 20, pods: 60, singleFile: true, waypointFraction: 1 } },
];

describe('generate is deterministic', () => {
  it.each(rows)('$id: the same seed gives identical files', ({ input }) => {
    const a = generateScenario({ ...input, seed: 3 });
    const b = generateScenario({ ...input, seed: 3 });
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
  });

  it.each(rows)('$id: another seed changes the choices', ({ input }) => {
    // Where the seed itself is written is not a choice; everything else is compared.
    const withoutSeed = (text: string) => text.replace(/--seed \d+/g, '').replace(/^ {2}seed: \d+$/m, '').replace(/^\| seed \| \d+ \|$/m, '');
    const a = generateScenario({ ...input, seed: 3, name: 'same' });
    const b = generateScenario({ ...input, seed: 4, name: 'same' });
    expect([...b.keys()]).toEqual([...a.keys()]);
    const differing = [...a].filter(([path, text]) => withoutSeed(b.get(path)!) !== withoutSeed(text)).map(([path]) => path);
    expect(differing.filter((p) => p !== 'README.md')).not.toEqual([]);
  });
});
