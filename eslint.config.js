// ESLint flat config: type-aware typescript-eslint rules, Nx module boundaries, Prettier for formatting.
import js from "@eslint/js";
import nx from "@nx/eslint-plugin";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "libs/contracts/src/gen/**",
      "**/.cascade/**",
      ".kafka/**",
      "test-artifacts/**",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@nx": nx },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      // A switch names every case, or says with `default:` what the rest do.
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        // NestJS needs runtime class references for constructor injection metadata.
        { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@nx/enforce-module-boundaries": [
        "error",
        {
          allow: [],
          depConstraints: [
            // Services talk over topics, never by import; libraries never import services.
            { sourceTag: "type:service", onlyDependOnLibsWithTags: ["type:lib"] },
            { sourceTag: "type:lib", onlyDependOnLibsWithTags: ["type:lib"] },
            // The embedded host is the one project that composes services into a single process.
            { sourceTag: "type:host", onlyDependOnLibsWithTags: ["type:lib", "type:service"] },
            { sourceTag: "type:tooling", onlyDependOnLibsWithTags: ["type:lib", "type:service"] },
          ],
        },
      ],
    },
  },
  {
    files: ["services/**/*.ts"],
    rules: { "no-console": "error" },
  },
  {
    // The embedded host composes the services into one process (and its tests drive several together).
    // Nx forbids importing application projects outright, so the host lists the service entry points it may use.
    files: ["services/embedded/**/*.ts"],
    rules: {
      "@nx/enforce-module-boundaries": [
        "error",
        {
          allow: ["@cascade/services/*"],
          depConstraints: [{ sourceTag: "type:host", onlyDependOnLibsWithTags: ["type:lib", "type:service"] }],
        },
      ],
    },
  },
  prettier,
);
