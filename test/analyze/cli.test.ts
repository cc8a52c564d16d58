// `meshsim analyze` exit codes (0 clean, 79 error-level findings, 2 invalid input), its output
// formats and --suppress, through the command function and through commander.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { analyzeCommand, registerAnalyze, type AnalyzeFlags } from '../../src/cli/analyze-command';
import { waypoint, yamlDocs } from '../helpers/manifests';
import { app, appWithWaypoint } from './fixtures';

function run(manifests: string, flags: AnalyzeFlags = {}, paths: string[] = ['-']) {
  let stdout = '';
  let stderr = '';
  const code = analyzeCommand(paths, flags, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stdin: () => manifests });
  return { code, stdout, stderr };
}

const CLEAN = yamlDocs(appWithWaypoint());
/** A Service label naming a missing waypoint (Error) and an unused waypoint (Warning). */
const BROKEN = yamlDocs([...app(undefined, { 'istio.io/use-waypoint': 'missing' }), waypoint('app')]);

describe('meshsim analyze exit codes', () => {
  it('0 and the "no issues" line on stderr when clean', () => {
    const r = run(CLEAN);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '✔ No validation issues found when analyzing -.\n' });
  });

  it('79 when a finding is at Error level, with istioctl-style lines on stdout', () => {
    const r = run(BROKEN);
    expect(r.code).toBe(79);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Error \[MSH0002\] \(Service app\/echo <stdin>:\d+:\d+\) istio\.io\/use-waypoint names waypoint "app\/missing"/);
    expect(lines[1]).toMatch(/^Warning \[MSH0014\] \(Gateway app\/waypoint <stdin>:\d+:\d+\) /);
  });

  it('0 once the error is suppressed, since only a warning remains', () => {
    const r = run(BROKEN, { suppress: ['MSH0002=Service app/*'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Warning \[MSH0014\]/);
  });

  it('--failure-threshold Warning turns warnings into a failure', () => {
    expect(run(BROKEN, { suppress: ['MSH0002=Service app/echo'], failureThreshold: 'warning' }).code).toBe(79);
  });

  it.each([
    { id: 'YAML syntax error', manifests: 'kind: [\n', flags: {}, stderr: /^<stdin>:\d+:\d+: / },
    { id: 'an invalid object', manifests: 'apiVersion: v1\nkind: Service\nmetadata: {}\n', flags: {}, stderr: /^<stdin>:\d+:\d+: / },
    { id: 'a malformed --suppress', manifests: CLEAN, flags: { suppress: ['IST0102'] }, stderr: /not a valid suppression value/ },
    { id: 'an unknown --failure-threshold', manifests: CLEAN, flags: { failureThreshold: 'Fatal' }, stderr: /--failure-threshold must be one of Info, Warning, Error/ },
  ])('2 for $id', ({ manifests, flags, stderr }) => {
    const r = run(manifests, flags);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
  });

  it('2 for a file that does not exist and when no manifest is given', () => {
    expect(run('', {}, ['/nonexistent/dir/x.yaml']).code).toBe(2);
    expect(run('', {}, []).code).toBe(2);
  });

  it('warns about an unknown code in --suppress, as istioctl does', () => {
    const r = run(CLEAN, { suppress: ['IST9999=Service x/y'] });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: Supplied message code 'IST9999' is an unknown message code and will not have any effect.");
  });

  it.each(['json', 'yaml'] as const)('-o %s lists the findings', (output) => {
    const r = run(BROKEN, { output });
    expect(r.code).toBe(79);
    expect(r.stdout).toContain('MSH0002');
    expect(r.stdout).toContain('https://meshsim.dev/docs/analyze#MSH0002');
  });
});

describe('registerAnalyze', () => {
  it('wires -f, -S and -o into the command and reports the exit code', async () => {
    const program = new Command().exitOverride();
    let exit = -1;
    registerAnalyze(program, (c) => (exit = c));
    await program.parseAsync(['analyze', '-f', '/nonexistent.yaml', '-S', 'IST0102=Namespace x', '-o', 'json'], { from: 'user' });
    expect(exit).toBe(2);
  });
});
