#!/usr/bin/env node
// Builds the browser SDK with esbuild into dist/sdk-browser/:
//   cascade.esm.js       ES module (import { createCascade } from ".../cascade.esm.js")
//   cascade.min.js       script-tag build (IIFE) exposing the global `cascade`
//   cascade-push.esm.js  web push, ES module (import { createPush } from ".../cascade-push.esm.js")
//   cascade-push.min.js  web push, script tag after cascade.min.js: adds `cascade.push`
//   cascade-sw.js        the push service worker, served from the site's origin
// Push lives in its own bundles so the tracking SDK stays small. All minified, with source maps.
// Usage: node libs/sdk-browser/build.mjs
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Browsers from 2020-21 on: sendBeacon, fetch keepalive, AbortController, ES2020 syntax. */
const target = ["es2020", "chrome87", "firefox78", "safari15", "edge88"];

/**
 * Bundles both builds. With `write: false` nothing touches the disk (the size test uses this).
 * Returns each output's minified and gzipped byte counts.
 */
export async function buildSdk({ outdir = `${root}dist/sdk-browser`, write = true } = {}) {
  const common = {
    bundle: true,
    minify: true,
    platform: "browser",
    target,
    sourcemap: write,
    legalComments: "none",
    write,
    logLevel: "warning",
  };
  const builds = [
    { name: "esm", entryPoints: [`${here}src/index.ts`], format: "esm", outfile: `${outdir}/cascade.esm.js` },
    {
      name: "iife",
      entryPoints: [`${here}src/script-tag.ts`],
      format: "iife",
      globalName: "cascade",
      outfile: `${outdir}/cascade.min.js`,
    },
    {
      name: "pushEsm",
      entryPoints: [`${here}src/push/index.ts`],
      format: "esm",
      outfile: `${outdir}/cascade-push.esm.js`,
    },
    {
      name: "pushIife",
      entryPoints: [`${here}src/push/script-tag.ts`],
      format: "iife",
      outfile: `${outdir}/cascade-push.min.js`,
    },
    {
      name: "serviceWorker",
      entryPoints: [`${here}src/push/service-worker.ts`],
      format: "iife",
      outfile: `${outdir}/cascade-sw.js`,
    },
  ];
  const sizes = {};
  for (const { name, ...options } of builds) {
    const result = await build({ ...common, ...options });
    const code = write ? undefined : result.outputFiles.find((file) => file.path.endsWith(".js"));
    sizes[name] = code
      ? {
          path: options.outfile,
          code: code.text,
          minified: code.contents.length,
          gzipped: gzipSync(code.contents).length,
        }
      : { path: options.outfile };
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildSdk();
  const sizes = await buildSdk({ write: false });
  for (const [name, size] of Object.entries(sizes)) {
    console.log(`${name}: ${size.path.replace(root, "")} ${size.minified} B minified, ${size.gzipped} B gzipped`);
  }
}
