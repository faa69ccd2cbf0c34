import { fileURLToPath } from "node:url";
import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Workspace aliases, the same mapping as tsconfig.base.json and .swcrc.
const alias = [
  { find: /^@cascade\/services\/([^/]+)$/, replacement: `${root}services/$1/src/index.ts` },
  { find: /^@cascade\/([^/]+)$/, replacement: `${root}libs/$1/src/index.ts` },
];

// SWC compiles tests like the build does, so NestJS sees decorator metadata.
const plugins = [
  swc.vite({
    jsc: {
      parser: { syntax: "typescript", decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: "automatic" } },
      keepClassNames: true,
    },
  }),
];

export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    projects: [
      {
        plugins,
        resolve: { alias },
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["{libs,services,bench,scripts,deploy}/**/*.spec.ts{,x}"],
          environment: "node",
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: "int",
          include: ["{libs,services,deploy}/**/*.int-spec.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration suites share one broker and one PostgreSQL on a 2-core machine; they run after the unit tests.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
