// apps/v1 workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet.
import * as z from 'zod';
import { anyStatus, kubeObject, labelSelector, nonNegativeInt, strict, templateMeta } from './common';
import { podSpec } from './core';

const podTemplate = strict({ metadata: templateMeta.optional(), spec: podSpec });

type Selector = z.output<typeof labelSelector>;

/** apps/v1 validation: the selector must be non-empty and must select the template's labels. */
function selectorMatchesTemplate(spec: { selector: Selector; template: z.output<typeof podTemplate> }, ctx: z.RefinementCtx) {
  const { selector } = spec;
  const hasRules = Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions?.length ?? 0) > 0;
  if (!hasRules) {
    ctx.addIssue({ code: 'custom', path: ['selector'], message: 'Invalid value: empty selector is invalid for deployment' });
    return;
  }
  const podLabels = spec.template.metadata?.labels ?? {};
  const ok =
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v) &&
    (selector.matchExpressions ?? []).every((r) => {
      const has = Object.prototype.hasOwnProperty.call(podLabels, r.key);
      const inValues = has && (r.values ?? []).includes(podLabels[r.key]!);
      return r.operator === 'In' ? inValues : r.operator === 'NotIn' ? !inValues : r.operator === 'Exists' ? has : !has;
    });
  if (!ok) {
    ctx.addIssue({
      code: 'custom',
      path: ['template', 'metadata', 'labels'],
      message: `Invalid value: ${JSON.stringify(podLabels)}: \`selector\` does not match template \`labels\``,
    });
  }
}

const workloadStatus = anyStatus;
const common = { selector: labelSelector, template: podTemplate };

export const deployment = kubeObject({
  spec: strict(
    { replicas: nonNegativeInt.optional(), ...common },
    ['minReadySeconds', 'paused', 'progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy'],
  ).superRefine(selectorMatchesTemplate),
  status: workloadStatus.optional(),
});

export const replicaSet = kubeObject({
  spec: strict({ replicas: nonNegativeInt.optional(), ...common }, ['minReadySeconds']).superRefine(selectorMatchesTemplate),
  status: workloadStatus.optional(),
});

export const statefulSet = kubeObject({
  spec: strict(
    { replicas: nonNegativeInt.optional(), serviceName: z.string().optional(), ...common },
    ['minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy', 'podManagementPolicy', 'revisionHistoryLimit', 'updateStrategy', 'volumeClaimTemplates'],
  ).superRefine(selectorMatchesTemplate),
  status: workloadStatus.optional(),
});

export const daemonSet = kubeObject({
  spec: strict(common, ['minReadySeconds', 'revisionHistoryLimit', 'updateStrategy']).superRefine(selectorMatchesTemplate),
  status: workloadStatus.optional(),
});
