// Services as policies, routes and backends name them: a Service by namespace and name, a
// ServiceEntry by namespace and name (one service per host).
import type { MeshView } from './mesh-view';
import type { ServiceInfo } from './model';

/**
 * The service `kind` `ns/name` in the view; for a ServiceEntry the one of `host`, else its first
 * host's. Undefined when the view has none.
 */
export function serviceNamed(view: MeshView, kind: 'Service' | 'ServiceEntry', ns: string, name: string, host?: string): ServiceInfo | undefined {
  if (kind === 'Service') return view.serviceByHost.get(`${name}.${ns}.svc.${view.config.domain}`);
  const hosts = view.serviceEntries.get(`${ns}/${name}`);
  return (host === undefined ? undefined : hosts?.find((s) => s.hostname === host)) ?? hosts?.[0];
}
