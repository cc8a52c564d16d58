// CUSTOM action as an extension point: meshsim's authorizer providers decide on one request header.
import type { AuthorizerProvider } from './types';

export type ProviderVerdict = { allowed: true } | { allowed: false; status: number; body: string; reason: string };

export function consultProvider(provider: AuthorizerProvider | undefined, name: string, headers: Record<string, string>): ProviderVerdict {
  // istiod turns a CUSTOM policy naming an unknown provider into a DENY of its rules (the caller
  // consults only when one matched).
  if (!provider) return { allowed: false, status: 403, body: 'RBAC: access denied', reason: `CUSTOM provider ${name} is not defined` };
  const denied = (reason: string): ProviderVerdict => ({ allowed: false, status: provider.deniedStatus ?? 403, body: provider.deniedBody ?? '', reason });
  const has = (h: { name: string; values: string[] }) => {
    const v = headers[h.name.toLowerCase()];
    return v !== undefined && h.values.includes(v);
  };
  if (provider.denyIfHeader && has(provider.denyIfHeader)) return denied(`denied by CUSTOM provider ${name} (${provider.denyIfHeader.name})`);
  if (provider.allowIfHeader && !has(provider.allowIfHeader)) return denied(`denied by CUSTOM provider ${name} (missing ${provider.allowIfHeader.name})`);
  return { allowed: true };
}
