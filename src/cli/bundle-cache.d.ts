export interface BundleOptions {
  /** The checkout: its src/ and sim/ (and its lockfile) are the inputs watched. */
  root: string;
  /** The entry module. */
  entry: string;
  /** The bundle's file name stem under node_modules/.cache/meshsim. */
  name: string;
  /** Folders outside src/ and sim/ whose files the bundle also holds (an entry's own helpers). */
  also?: string[];
}

/** The path of an up-to-date CommonJS bundle of `entry` and its dependencies; throws when esbuild cannot build it. */
export function cachedBundle(o: BundleOptions): Promise<string>;

/** The CLI's bundle in the checkout at `root`. */
export function cliBundle(root: string): Promise<string>;
