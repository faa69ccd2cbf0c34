/** Types of build.mjs, for the size test. */
export interface BuiltSdkFile {
  path: string;
  /** Present when built with `write: false`. */
  code?: string;
  minified?: number;
  gzipped?: number;
}
export function buildSdk(options?: { outdir?: string; write?: boolean }): Promise<{
  esm: BuiltSdkFile;
  iife: BuiltSdkFile;
  pushEsm: BuiltSdkFile;
  pushIife: BuiltSdkFile;
  serviceWorker: BuiltSdkFile;
}>;
