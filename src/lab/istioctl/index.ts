// istioctl's command dispatch: waypoint, ztunnel-config (zc), analyze, version.
import { analyzeObjects, exceedsThreshold, formatFindingsLog } from '../../analyze';
import { DEFAULT_ISTIO_VERSION, listKinds, listObjects } from '../../cluster';
import { boolFlag } from '../flags';
import { fail, type CommandResult, type Invocation } from '../invocation';
import type { LabSession } from '../session';
import { IstioctlError, parseIstioctl } from './common';
import { runProxyStatus } from './proxy-status';
import { runWaypoint } from './waypoint';
import { runZtunnelConfig } from './ztunnel-config';

function analyze(s: LabSession, argv: string[]): CommandResult {
  const c = parseIstioctl(s, argv, [{ name: 'all-namespaces', short: 'A' }, { name: 'output', short: 'o', value: true }, { name: 'use-kube' }, { name: 'recursive', short: 'R' }]);
  const all = boolFlag(c.p, 'all-namespaces');
  const cluster = s.world.cluster(c.context);
  const objects = listKinds(cluster.state).flatMap((kind) => listObjects(cluster.state, kind).map((obj) => ({ obj })));
  const findings = analyzeObjects(objects, { cluster, config: s.world.config, istioOnly: true, ...(all ? {} : { namespace: c.namespace }) });
  if (findings.length === 0) {
    // istioctl prints the (empty) message list on stdout and its all-clear on stderr.
    const where = all ? 'all namespaces' : `namespace: ${c.namespace}`;
    return { stdout: '\n', stderr: `\u2714 No validation issues found when analyzing ${where}.\n`, exitCode: 0 };
  }
  return { stdout: formatFindingsLog(findings, c.namespace), stderr: exceedsThreshold(findings) ? 'Error: Analyzers found issues when analyzing namespace: ' + c.namespace + '.\nSee https://istio.io/v1.28/docs/reference/config/analysis for more information about causes and resolutions.\n' : '', exitCode: exceedsThreshold(findings) ? 79 : 0 };
}

function version(s: LabSession, argv: string[]): CommandResult {
  const c = parseIstioctl(s, argv, [{ name: 'remote' }, { name: 'short', short: 's' }, { name: 'output', short: 'o', value: true }]);
  const proxies = s.world.view(c.context).workloads.filter((w) => w.role === 'ztunnel' || w.role === 'waypoint' || w.role === 'ingress-gateway' || w.role === 'eastwest-gateway').length;
  const v = DEFAULT_ISTIO_VERSION;
  return { stdout: `client version: ${v}\ncontrol plane version: ${v}\ndata plane version: ${v} (${proxies} proxies)\n`, stderr: '', exitCode: 0 };
}

const COMMANDS: Record<string, (s: LabSession, argv: string[]) => CommandResult> = {
  waypoint: runWaypoint,
  waypoints: runWaypoint,
  wp: runWaypoint,
  'ztunnel-config': runZtunnelConfig,
  zc: runZtunnelConfig,
  'proxy-status': runProxyStatus,
  ps: runProxyStatus,
  analyze,
  version,
};

/** istioctl's other commands: real, so a learner copying them from a guide is told they are not emulated. */
const NOT_EMULATED = new Set([
  'admin', 'bug-report', 'completion', 'create-remote-secret', 'dashboard', 'd', 'dash', 'install', 'kube-inject', 'manifest', 'proxy-config', 'pc',
  'remote-clusters', 'tag', 'uninstall', 'upgrade', 'validate', 'verify-install',
]);

const VALUE_GLOBALS = new Set(['-n', '--namespace', '--context', '-i', '--istioNamespace', '-c', '--kubeconfig']);

export function runIstioctl(s: LabSession, inv: Invocation): CommandResult {
  const argv = inv.args;
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += VALUE_GLOBALS.has(argv[i]!) ? 2 : 1;
  const name = argv[i];
  if (name === undefined) return { stdout: 'Istio configuration command line utility (meshsim lab emulation).\n\nUsage:\n  istioctl [command]\n', stderr: '', exitCode: 0 };
  const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
  try {
    if (name === 'x' || name === 'experimental') {
      const sub = rest.find((a) => !a.startsWith('-'));
      return fail(`Error: meshsim does not emulate "istioctl ${name}${sub ? ` ${sub}` : ''}"`);
    }
    if (NOT_EMULATED.has(name)) return fail(`Error: meshsim does not emulate "istioctl ${name}"`);
    const handler = COMMANDS[name];
    if (!handler) return fail(`Error: unknown command "${name}" for "istioctl"\nRun 'istioctl --help' for usage.`);
    return handler(s, rest);
  } catch (e) {
    if (e instanceof IstioctlError) return fail(`Error: ${e.message}`);
    throw e;
  }
}
