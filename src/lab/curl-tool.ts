// curl run from a pod of a simulated cluster: each request goes through the data plane as a
// one-request request step (same hops, decisions, timing and RequestRecord), recorded in the session.
import type { WorkloadInfo } from '../control/model';
import { resolveHost } from '../dataplane/dns';
import type { RequestRecord } from '../result/types';
import { runRequestStep } from '../run/request-step';
import type { RequestStep, SourcePos } from '../scenario';
import { runCurl, type CurlRequest } from './curl';
import { fail, type CommandResult, type Invocation } from './invocation';
import type { LabSession } from './session';

const NOWHERE: SourcePos = { file: '<lab>', line: 0, col: 0 };

function stepFor(name: string, cluster: string, from: WorkloadInfo, req: CurlRequest): RequestStep {
  return {
    type: 'request',
    name,
    pos: NOWHERE,
    at: () => NOWHERE,
    cluster,
    from: { kind: 'workload', namespace: from.namespace, name: from.name },
    target: { kind: 'url', url: req.url },
    method: req.method,
    headers: req.headers,
    ...(req.body === undefined ? {} : { body: req.body }),
    count: 1,
    ...(req.timeoutMs === undefined ? {} : { timeoutMs: req.timeoutMs }),
    explain: false,
    expect: {},
  };
}

/** Runs curl's argv from one pod; every request it sends is recorded in the session. */
export function curlFromPod(s: LabSession, cluster: string, pod: WorkloadInfo, argv: readonly string[]): CommandResult {
  const key = `${cluster}/${pod.namespace}/${pod.name}`;
  return runCurl(argv, {
    send: (req) => {
      const result = runRequestStep(s.world, stepFor(s.nextRequestName(), cluster, pod, req));
      const record = result.requests![0]!;
      s.record(record);
      return record as RequestRecord;
    },
    resolve: (host) => {
      const r = resolveHost(s.world.view(cluster), host, pod);
      return r ? (r.kind === 'headless' ? r.ips[0] : r.ip) : undefined;
    },
    epochMs: s.world.scenario.startTime,
    writeFile: (path, content) => {
      let files = s.podFiles.get(key);
      if (!files) s.podFiles.set(key, (files = new Map()));
      files.set(path, content);
    },
  });
}

/** A pod of a cluster by `cluster/namespace/pod`. */
export function podByKey(s: LabSession, key: string): { cluster: string; pod: WorkloadInfo } | undefined {
  const [cluster, ns, name] = key.split('/');
  if (!cluster || !ns || !name || !s.clusterOf(cluster)) return undefined;
  const pod = s.world.view(cluster).workloadByPod.get(`${ns}/${name}`);
  return pod ? { cluster, pod } : undefined;
}

/** `curl` called inside a pod's shell (`kubectl exec ... -- sh -c 'curl ...'`). */
export function runCurlTool(s: LabSession, inv: Invocation): CommandResult {
  const found = inv.pod ? podByKey(s, inv.pod) : undefined;
  if (!found) return fail('curl: only available inside `kubectl exec` in a meshsim lab', 127);
  return curlFromPod(s, found.cluster, found.pod, inv.args);
}

/** `hostname` inside a pod's shell. */
export function runHostnameTool(s: LabSession, inv: Invocation): CommandResult {
  const found = inv.pod ? podByKey(s, inv.pod) : undefined;
  return found ? { stdout: `${found.pod.name}\n`, stderr: '', exitCode: 0 } : fail('hostname: only available inside `kubectl exec` in a meshsim lab', 127);
}
