export interface CachedScript {
  exports: Record<string, unknown>;
  /** 'none' (absent or from another build), 'rejected' by V8, or 'used'. */
  cacheState: 'none' | 'rejected' | 'used';
  /** Writes a fresh cache if this one was not used (once). */
  saveCache(): void;
}

/** Runs a CommonJS bundle through node:vm with V8's code cache kept beside it. */
export function runCachedScript(bundle: string): CachedScript;
