// Request templates ({{seq}}, {{randomInt A B}}, {{uuid}}) and traffic generator shapes.
import { describe, expect, it } from 'vitest';
import { streams } from '../../sim';
import { ScenarioInputError } from '../../src/run/errors';
import { RECORD_LIMIT } from '../../src/run/request-step';
import { compileTemplate, render } from '../../src/run/traffic';
import { formatDiagnostic } from '../../src/scenario';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { runParts } from '../helpers/run-scenario';

describe('templates', () => {
  const rows: { text: string; seq: number; want: RegExp }[] = [
    { text: 'plain', seq: 3, want: /^plain$/ },
    { text: 'id-{{seq}}', seq: 42, want: /^id-42$/ },
    { text: '{{ randomInt 5 5 }}', seq: 1, want: /^5$/ },
    { text: 'u={{randomInt 1 1000}}', seq: 1, want: /^u=([1-9]\d{0,2}|1000)$/ },
    { text: '{{uuid}}', seq: 1, want: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ },
  ];
  it.each(rows)('$text renders as $want', ({ text, seq, want }) => {
    const c = compileTemplate(text);
    if (!c.ok) throw new Error(c.message);
    expect(render(c.template, seq, streams(1).get('t'))).toMatch(want);
  });

  const bad: { text: string; message: RegExp }[] = [
    { text: '{{nope}}', message: /unknown template expression "\{\{nope\}\}"/ },
    { text: '{{randomInt 1}}', message: /needs two integers/ },
    { text: '{{randomInt 9 1}}', message: /must not be greater/ },
    { text: '{{seq', message: /never closed/ },
  ];
  it.each(bad)('$text is refused', ({ text, message }) => {
    const c = compileTemplate(text);
    expect(c.ok ? '' : c.message).toMatch(message);
  });
});

const MANIFESTS = yamlDocs([namespace('client'), namespace('server'), curl('client', 'curl', { node: 'node-1' }), echo('server', 'echo', 'hi', { node: 'node-2' }), service('server', 'echo')]);

describe('request steps', () => {
  it('templates in headers and the path are evaluated per request, from the seeded stream', async () => {
    const result = await runParts({
      manifests: MANIFESTS,
      steps: [{ name: 't', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/item/{{seq}}?r={{uuid}}', count: 5, headers: { 'x-id': 'req-{{seq}}', 'x-n': '{{randomInt 1 3}}' } } }],
    });
    const recs = result.steps[0]!.requests!;
    expect(recs.map((r) => r.path.replace(/\?.*/, ''))).toEqual(['/item/1', '/item/2', '/item/3', '/item/4', '/item/5']);
    expect(recs.map((r) => r.requestHeaders!['x-id'])).toEqual(['req-1', 'req-2', 'req-3', 'req-4', 'req-5']);
    expect(new Set(recs.map((r) => r.path.replace(/.*\?r=/, ''))).size).toBe(5);
    for (const r of recs) expect(['1', '2', '3']).toContain(r.requestHeaders!['x-n']);
  });

  it('bad templates are input errors at their position, before anything runs', async () => {
    const err = await runParts({
      manifests: MANIFESTS,
      steps: [{ name: 't', request: { from: 'client/curl', url: 'http://{{seq}}.example/', headers: { 'x-a': '{{bogus}}' } } }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioInputError);
    const lines = (err as ScenarioInputError).diagnostics.map(formatDiagnostic);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toMatch(/table-test\.yaml:\d+:\d+: unknown template expression/);
    expect(lines.join('\n')).toMatch(/table-test\.yaml:\d+:\d+: url: templates are allowed in the path and query only/);
  });

  const shapes: { id: string; request: object; count: number; span: [number, number] }[] = [
    { id: 'count alone: one after another', request: { count: 10 }, count: 10, span: [0, 20] },
    { id: 'constant rate: 100/s for 50 requests spans ~0.49 s', request: { count: 50, rate: '100/s', arrival: 'constant' }, count: 50, span: [490, 491] },
    { id: 'duration with a rate: arrivals stop at the duration', request: { duration: '1s', rate: '200/s', arrival: 'constant' }, count: 200, span: [995, 1000] },
  ];
  it.each(shapes)('$id', async ({ request, count, span }) => {
    const result = await runParts({ manifests: MANIFESTS, steps: [{ name: 's', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', ...request } }] });
    const step = result.steps[0]!;
    expect(step.summary!.count).toBe(count);
    const last = step.requests!.at(-1)!.startMs;
    expect(last).toBeGreaterThanOrEqual(span[0]);
    expect(last).toBeLessThanOrEqual(span[1]);
  });

  it('closed loop: 4 clients for 0.5 s keep 4 requests in flight, so requests pile up beyond the kept records', async () => {
    const result = await runParts({ manifests: MANIFESTS, steps: [{ name: 's', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', duration: '500ms', concurrency: 4 } }] });
    const step = result.steps[0]!;
    const perRequest = step.summary!.latencyMs.mean!;
    // Little's law: N = X·R with N = 4 in flight.
    expect(step.summary!.count).toBeGreaterThan(((4 * 500) / perRequest) * 0.95);
    expect(step.sampled).toBe(true);
    expect(step.endMs!).toBeGreaterThanOrEqual(500);
    expect(step.endMs!).toBeLessThan(505);
  });

  it('each request step of a parallel group keeps its first 1000 requests in full, as a step alone does, and counts every one', async () => {
    const probe = (name: string, count: number) => ({ name, request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count, concurrency: 4 } });
    const result = await runParts({ manifests: MANIFESTS, steps: [{ name: 'group', parallel: [probe('a', 1200), probe('b', 300)] }] });
    const [a, b] = result.steps[0]!.steps!;
    expect([a, b].map((s) => s!.summary!.count)).toEqual([1200, 300]);
    expect([a, b].map((s) => s!.requests!.length)).toEqual([RECORD_LIMIT, 300]);
    expect(a!.requests!.map((r) => r.id)).toEqual(Array.from({ length: RECORD_LIMIT }, (_, i) => i + 1));
    expect([a, b].map((s) => s!.sampled === true)).toEqual([true, false]);
  });
});
