// istio.io's ambient getting-started, played step by step with its own commands and outputs.
// The Bookinfo app models are hooked into the app registry here the way src/apps/registry.ts is
// to call them (bookinfoApp before the client-image check).
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { playScenario, scenarioFromFile } from './helpers';

vi.mock('../../src/apps/registry', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/apps/registry')>();
  const { bookinfoApp } = await import('../../src/apps/bookinfo');
  return {
    ...real,
    appFor: (pod: Parameters<typeof real.appFor>[0], host: Parameters<typeof real.appFor>[1], override: Parameters<typeof real.appFor>[2]) => {
      for (const c of pod.spec?.containers ?? []) {
        const app = bookinfoApp(real.imageName(c.image ?? ''), (c.ports ?? []).map((p) => p.containerPort), host);
        if (app && !override) return app;
      }
      return real.appFor(pod, host, override);
    },
  };
});

const FILE = resolve(__dirname, '../../scenarios/istio-docs/getting-started/scenario.yaml');

describe('istio.io ambient getting-started', () => {
  it('every step prints what the doc shows', async () => {
    const steps = await playScenario(scenarioFromFile(FILE));
    const failed = steps.filter((s) => !s.passed).map((s) => `${s.name}: ${s.failures.join('; ')}`);
    expect(failed).toEqual([]);
    const split = steps.find((s) => s.name.startsWith('about 90%'))!;
    expect(split.requests).toHaveLength(100);
    expect(steps.find((s) => s.name === 'curl is rejected by ztunnel')!.requests![0]).toMatchObject({ outcome: 'reset' });
  }, 60_000);
});
