// Picks the app model for a pod from its container images, then applies scenario overrides.
import type { Container, Pod } from '../k8s/types';
import { bookinfoApp } from './bookinfo';
import { clientOnly, genericApp } from './generic';
import { istioEcho } from './echo';
import { helloworld } from './helloworld';
import { httpEcho } from './http-echo';
import { httpbin } from './httpbin';
import { flagValue } from './args';
import type { App, AppContext, AppHost, AppRequest, AppResponse } from './types';

/** A scenario's `spec.apps` entry, already validated. */
export interface AppOverride {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  ports?: number[];
  /** Calls the app makes, in order, before it answers (a call graph). */
  calls?: { url: string; method: string; headers: Record<string, string> }[];
}

const CLIENT_IMAGES = /(^|\/)(curl|curlimages\/curl|sleep|busybox|alpine|ubuntu|debian|netshoot|nicolaka\/netshoot|fortio\/fortio|istio\/base)(:|@|$)/;

function imageName(image: string): string {
  // Drop registry host and tag/digest: docker.io/istio/examples-helloworld-v1:1.0 -> istio/examples-helloworld-v1
  const noDigest = image.split('@')[0]!;
  const lastColon = noDigest.lastIndexOf(':');
  const noTag = lastColon > noDigest.lastIndexOf('/') ? noDigest.slice(0, lastColon) : noDigest;
  const parts = noTag.split('/');
  if (parts.length > 1 && /[.:]/.test(parts[0]!)) parts.shift();
  return parts.join('/');
}

function imageTag(image: string): string {
  const noDigest = image.split('@')[0]!;
  const lastColon = noDigest.lastIndexOf(':');
  return lastColon > noDigest.lastIndexOf('/') ? noDigest.slice(lastColon + 1) : 'latest';
}

function declaredPorts(pod: Pod): number[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}

function envOf(c: Container, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

function modelFor(c: Container, pod: Pod, host: AppHost): App | undefined {
  const image = c.image ?? '';
  const name = imageName(image);
  const args = [...(c.command ?? []), ...(c.args ?? [])];
  const ports = declaredPorts(pod);
  if (name.endsWith('hashicorp/http-echo') || name.endsWith('/http-echo')) return httpEcho(args);
  if (/httpbin/.test(name)) return httpbin(ports.length ? ports : [name.includes('kennethreitz') ? 80 : 8080], host);
  if (/examples-helloworld-(v\d+)/.test(name)) {
    const version = envOf(c, 'SERVICE_VERSION') ?? /examples-helloworld-(v\d+)/.exec(name)![1]!;
    return helloworld(version, ports.length ? ports : [5000], host);
  }
  if (/(^|\/)(app|echo)$/.test(name) && /istio/.test(image)) {
    // The app's own --version flag; deployments without it are read by their version label.
    return istioEcho(flagValue(args, 'version') ?? pod.metadata.labels?.version ?? 'v1', ports, host);
  }
  const bookinfo = bookinfoApp(name, ports, host);
  if (bookinfo) return bookinfo;
  if (CLIENT_IMAGES.test(name) || CLIENT_IMAGES.test(image)) return clientOnly(name.split('/').pop() ?? 'client');
  return undefined;
}

/** The app a pod runs: the first container with a known model, else the generic model. */
export function appFor(pod: Pod, host: AppHost, override?: AppOverride): App {
  const containers = pod.spec?.containers ?? [];
  let app: App | undefined;
  for (const c of containers) {
    app = modelFor(c, pod, host);
    if (app) break;
  }
  app ??= genericApp(declaredPorts(pod), host);
  if (!override) return app;
  return withOverride(app, override);
}

function withOverride(app: App, o: AppOverride): App {
  return new OverriddenApp(app, o);
}

/** An app with a scenario's override: a class for the same reason as GenericApp's. */
class OverriddenApp implements App {
  readonly model: string;
  private readonly ports: Set<number> | undefined;

  constructor(
    private readonly app: App,
    private readonly o: AppOverride,
  ) {
    this.model = `${app.model}+override`;
    this.ports = o.ports ? new Set(o.ports) : undefined;
  }

  // An override on a client-only image makes it answer on any port.
  listens(p: number): boolean {
    return this.ports ? this.ports.has(p) : this.app.callsOnly || this.app.listens(p);
  }

  handle(req: AppRequest, ctx: AppContext): AppResponse {
    const { app, o } = this;
    // A call entry is its own init: the call reads its method and headers.
    for (const c of o.calls ?? []) ctx.call(c.url, c);
    const base = o.status !== undefined && o.body !== undefined ? { status: 200, body: '', headers: {} } : app.handle(req, ctx);
    return {
      status: o.status ?? base.status,
      body: o.body ?? base.body,
      headers: { ...base.headers, ...(o.headers ?? {}) },
      delayMs: base.delayMs,
    };
  }
}

export { imageName, imageTag };
