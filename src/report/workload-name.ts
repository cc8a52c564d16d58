// A pod's workload name, recovered from how Kubernetes names pods. The result records pods, not
// their owners, so this is a guess from the name alone:
//   Deployment   <name>-<pod-template-hash>-<5 chars>   (the hash is a uint32 in decimal, safe-encoded)
//   StatefulSet  <name>-<ordinal>
//   ReplicaSet, DaemonSet, Job   <name>-<5 chars>
// A bare Pod whose own name happens to end like one of these is shortened too.

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const PATTERNS = [new RegExp(`^(.+)-${SAFE}{1,10}-${SAFE}{5}$`), /^(.+)-\d+$/, new RegExp(`^(.+)-${SAFE}{5}$`)];

export function workloadOfPod(pod: string): string {
  for (const p of PATTERNS) {
    const m = p.exec(pod);
    if (m) return m[1]!;
  }
  return pod;
}
