import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The builder UI: React with the automatic JSX runtime (no plugin needed), output in dist/studio-ui. */
export default defineConfig({
  root: here,
  base: "/",
  resolve: { alias: { "@cascade/workflow": `${root}libs/workflow/src/index.ts` } },
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: `${root}dist/studio-ui`,
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // @xyflow/react marks itself "use client" (for React Server Components); irrelevant in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  logLevel: "warn",
});
