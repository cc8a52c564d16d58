import { describe, expect, it } from 'vitest';
import { workloadOfPod } from '../../src/report/workload-name';

// Kubernetes names a Deployment's pods <deployment>-<pod-template-hash>-<5 random chars>, a
// StatefulSet's <name>-<ordinal>, and a ReplicaSet's, DaemonSet's or Job's <name>-<5 random chars>,
// the random parts drawn from the alphabet bcdfghjklmnpqrstvwxz2456789.
describe('workloadOfPod', () => {
  it.each([
    ['Deployment, short hash', 'curl-5b8d7-k2j4h', 'curl'],
    ['Deployment, 10-char hash', 'reviews-v2-7d79d5bd5d-mpsk2', 'reviews-v2'],
    ['Deployment with dashes in its name', 'istio-ingressgateway-6b9c8d7f5-x2x7q', 'istio-ingressgateway'],
    ['StatefulSet ordinal', 'ledger-0', 'ledger'],
    ['StatefulSet, two-digit ordinal', 'kafka-broker-12', 'kafka-broker'],
    ['DaemonSet or bare ReplicaSet', 'ztunnel-x2x7q', 'ztunnel'],
    ['bare pod', 'curl', 'curl'],
    ['bare pod with a version', 'tools-v1', 'tools-v1'],
    ['suffix with a vowel is not generated', 'my-app-abcde', 'my-app-abcde'],
  ])('%s: %s → %s', (_case, pod, workload) => {
    expect(workloadOfPod(pod)).toBe(workload);
  });
});
