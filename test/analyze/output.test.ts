// Positions, ordering, suppression, istioctl's output format, and what lab mode's
// `istioctl analyze` (IST codes only, one namespace) reports.
import { describe, expect, it } from 'vitest';
import { formatFindingsLog, istioctlMessages, isSuppressed, parseSuppression, type Finding } from '../../src/analyze';
import { namespace, waypoint } from '../helpers/manifests';
import { AMBIENT, ENROLLED, FILE, analyze, app, appWithWaypoint, httpRoute, lineOf, selectorPolicy } from './fixtures';

describe('positions point at the most specific field', () => {
  it.each([
    { id: 'the use-waypoint label value', objects: [...app(ENROLLED, { 'istio.io/use-waypoint': 'missing' }), waypoint('app')], code: 'MSH0002', needle: 'istio.io/use-waypoint: missing' },
    { id: 'the HTTP attribute of the dropped rule', objects: [...app(), selectorPolicy('p', 'ALLOW', [{ to: [{ operation: { paths: ['/x'] } }] }])], code: 'MSH0006', needle: 'paths:' },
    { id: 'the missing backend name', objects: [...appWithWaypoint(), httpRoute('r', { rules: [{ backendRefs: [{ name: 'nope', port: 80 }] }] })], code: 'MSH0012', needle: 'name: nope' },
  ])('$id', ({ objects, code, needle }) => {
    const { findings, text } = analyze(objects);
    const f = findings.find((x) => x.code === code)!;
    expect(f.pos).toMatchObject({ file: FILE, line: lineOf(text, needle) });
    expect(f.pos!.col).toBeGreaterThan(1);
  });
});

describe('IST0171 and the meshsim checks that explain the same condition', () => {
  const objects = [...appWithWaypoint(), httpRoute('r', { rules: [{ backendRefs: [{ name: 'nope', port: 80 }] }] })];

  it('meshsim reports the explained condition once, with its own code', () => {
    const codes = analyze(objects).findings.filter((f) => f.resource === 'HTTPRoute app/r').map((f) => f.code);
    expect(codes).toEqual(['MSH0012']);
  });

  it('istioctl (IST codes only) reports the negative ResolvedRefs condition', () => {
    const { findings } = analyze(objects, { istioOnly: true });
    expect(findings.map((f) => [f.code, f.resource, f.level])).toEqual([['IST0171', 'HTTPRoute app/r', 'Warning']]);
    expect(findings[0]!.message).toBe(
      'A condition with a negative status is present: type=ResolvedRefs, reason=BackendNotFound, message=backend(nope.app.svc.cluster.local) not found.',
    );
  });

  it('a Service bound to a missing waypoint is istioctl\'s WaypointBound=False', () => {
    const { findings } = analyze([...app(AMBIENT, { 'istio.io/use-waypoint': 'gone' })], { istioOnly: true });
    expect(findings.map((f) => f.message)).toContain('A condition with a negative status is present: type=istio.io/WaypointBound, reason=WaypointIsNotReady, message=waypoint "app/gone" is not ready.');
  });
});

describe('ordering, filtering and suppression', () => {
  const objects = [...app({}), waypoint('app'), namespace('other', AMBIENT), selectorPolicy('p', 'ALLOW', [{ to: [{ operation: { methods: ['GET'] } }] }])];

  it('sorts like istioctl: level, then code, then resource', () => {
    const { findings } = analyze(objects);
    const levels = findings.map((f) => f.level);
    expect(levels).toEqual([...levels].sort((a, b) => ['Error', 'Warning', 'Info'].indexOf(a) - ['Error', 'Warning', 'Info'].indexOf(b)));
    // The echo pod is not in the mesh (namespace app has no labels), so the selector matches nothing (IST0127).
    expect(findings.map((f) => f.code)).toEqual(['MSH0006', 'IST0127', 'MSH0014', 'IST0102']);
  });

  it('keeps only one namespace with the namespace option (a Namespace counts as its own)', () => {
    expect(analyze(objects, { namespace: 'other' }).findings).toEqual([]);
    expect(analyze(objects, { namespace: 'app' }).findings).toHaveLength(4);
  });

  it.each([
    { s: 'MSH0014=Gateway app/waypoint', gone: 'MSH0014' },
    { s: 'MSH0014=Gateway *', gone: 'MSH0014' },
    { s: 'IST0102=Namespace app', gone: 'IST0102' },
    { s: 'MSH0006=AuthorizationPolicy p.app', gone: 'MSH0006' },
    { s: 'MSH0006=AuthorizationPolicy *.app', gone: 'MSH0006' },
  ])('--suppress $s', ({ s, gone }) => {
    const suppression = parseSuppression(s)!;
    const codes = analyze(objects, { suppress: [suppression] }).findings.map((f) => f.code);
    expect(codes).not.toContain(gone);
    expect(codes).toHaveLength(3);
  });

  it('a suppression for another resource keeps the finding', () => {
    const f: Finding = { code: 'MSH0014', level: 'Warning', message: 'm', resource: 'Gateway app/waypoint', docs: '' };
    expect(isSuppressed(f, [{ code: 'MSH0014', resource: 'Gateway other/*' }])).toBe(false);
    expect(isSuppressed(f, [{ code: 'MSH0013', resource: 'Gateway app/waypoint' }])).toBe(false);
  });

  it.each(['IST0102', 'IST0102=a=b', '=Namespace x'])('rejects the malformed suppression %s', (s) => {
    expect(parseSuppression(s)).toBeNull();
  });
});

describe("istioctl's output format", () => {
  const f: Finding = {
    code: 'IST0101',
    level: 'Error',
    message: 'Referenced namespace not found: "nope"',
    resource: 'AuthorizationPolicy app/p',
    pos: { file: 'a.yaml', line: 12, col: 9 },
    docs: 'https://istio.io/v1.28/docs/reference/config/analysis/ist0101/',
  };

  it.each([
    { columns: false, line: 'Error [IST0101] (AuthorizationPolicy app/p a.yaml:12) Referenced namespace not found: "nope"' },
    { columns: true, line: 'Error [IST0101] (AuthorizationPolicy app/p a.yaml:12:9) Referenced namespace not found: "nope"' },
  ])('log line, columns=$columns', ({ columns, line }) => {
    expect(formatFindingsLog([f], 'default', { columns })).toBe(`${line}\n`);
  });

  it('a resource from no file has no reference', () => {
    const { pos: _pos, ...live } = f;
    expect(formatFindingsLog([live])).toBe('Error [IST0101] (AuthorizationPolicy app/p) Referenced namespace not found: "nope"\n');
  });

  it.each([
    { files: undefined, text: '✔ No validation issues found when analyzing namespace: accounts.\n' },
    { files: ['a.yaml'], text: '✔ No validation issues found when analyzing a.yaml.\n' },
    { files: ['a.yaml', 'b.yaml'], text: '✔ No validation issues found when analyzing:\n  - a.yaml\n  - b.yaml\n' },
  ])('no findings: $text', ({ files, text }) => {
    expect(formatFindingsLog([], 'accounts', files ? { files } : {})).toBe(text);
  });

  it('JSON messages as istioctl writes them', () => {
    expect(istioctlMessages([f])).toEqual([
      {
        code: 'IST0101',
        documentationUrl: 'https://istio.io/v1.28/docs/reference/config/analysis/ist0101/?ref=istioctl-analyze',
        level: 'Error',
        message: 'Referenced namespace not found: "nope"',
        origin: 'AuthorizationPolicy app/p',
        reference: 'a.yaml:12',
      },
    ]);
  });
});

describe('lab mode: analyzing a running cluster', () => {
  it('reads the given cluster instead of applying, and reports without file positions', async () => {
    const { Cluster } = await import('../../src/cluster');
    const cluster = new Cluster({ name: 'c1', network: 'n1', index: 0, nodes: [{ name: 'node-1' }], trustDomain: 'cluster.local', rootNamespace: 'istio-system', startTime: 0, rng: () => 0.5 });
    const objects = [...app(AMBIENT, { 'istio.io/use-waypoint': 'gone' })] as import('../../src/k8s/types').KubeObject[];
    cluster.applyAll(objects, 0);
    const resources = ['Namespace', 'Service', 'Deployment'].flatMap((k) => cluster.list(k, k === 'Namespace' ? undefined : 'app')).filter((o) => o.kind !== 'Namespace' || o.metadata.name === 'app').map((obj) => ({ obj }));
    const findings = (await import('../../src/analyze')).analyzeObjects(resources, { cluster, istioOnly: true, namespace: 'app' });
    expect(findings.map((f) => [f.code, f.resource, f.pos])).toEqual([['IST0171', 'Service app/echo', undefined]]);
    expect(formatFindingsLog(findings)).toBe(
      'Warning [IST0171] (Service app/echo) A condition with a negative status is present: type=istio.io/WaypointBound, reason=WaypointIsNotReady, message=waypoint "app/gone" is not ready.\n',
    );
  });
});
