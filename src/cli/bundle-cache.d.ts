export interface BundleOptions {
  /** The checkout: its src/ and sim/ are the sources watched. */
  root: string;
  /** The entry module. */
  entry: string;
  /** The bundle's file name stem under node_modules/.cache/meshsim. */
  name: string;
  /** Other files whose change calls for a rebuild (e.g. the lockfile). */
  files?: string[];
  /** esbuild options added to the defaults (bundle, node, esm, node20). */
  esbuild?: Record<string, unknown>;
}

/** esbuild options for a CommonJS bundle run through cached-script.js. */
export const CJS_BUNDLE: Record<string, unknown>;

/** The path of an up-to-date bundle of `entry`; throws when esbuild cannot build it. */
export function cachedBundle(o: BundleOptions): Promise<string>;
