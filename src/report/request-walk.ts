// Every request of a run, the apps' nested calls included, with who sent it.
import type { CallRecord, RequestRecord, RunResult } from '../result/types';
import { flattenSteps } from './steps';

export interface Sender {
  cluster: string;
  namespace: string;
  pod: string;
  /** Null when unknown: a call's sender is the app that made it, whose identity the result does not record. */
  identity: string | null;
}

export interface WalkedRequest {
  record: CallRecord;
  sender: Sender;
}

function walkCalls(record: CallRecord, sender: Sender, visit: (w: WalkedRequest) => void): void {
  visit({ record, sender });
  const app = record.backend;
  if (!app) return;
  const caller: Sender = { cluster: app.cluster, namespace: app.namespace, pod: app.pod, identity: null };
  for (const c of record.calls ?? []) walkCalls(c, caller, visit);
}

/** A client's request and the calls it set off, each with who sent it. */
export function walkRequest(req: RequestRecord, visit: (w: WalkedRequest) => void): void {
  walkCalls(req, { cluster: req.from.cluster, namespace: req.from.namespace, pod: req.from.pod, identity: req.from.identity }, visit);
}

export function forEachRequest(results: RunResult[], visit: (w: WalkedRequest) => void): void {
  for (const r of results) {
    for (const { step } of flattenSteps(r.steps)) {
      for (const req of step.requests ?? []) walkRequest(req, visit);
    }
  }
}
