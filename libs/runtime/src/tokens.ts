/** Injection tokens for what the runtime provides to every service module. */
export const BUS = Symbol.for("cascade.runtime.bus");
/** The default workspace and its keys (CASCADE_WRITE_KEY / CASCADE_ADMIN_KEY, or generated at start). */
export const DEFAULT_WORKSPACE = Symbol.for("cascade.runtime.default-workspace");

export interface DefaultWorkspace {
  id: string;
  writeKey: string;
  adminKey: string;
}

/**
 * The environment variables of this process (tests: the test's own). A service parses its own settings from it
 * once, in a provider: `useFactory: (env: Environment) => loadConfig(mySchema, env), inject: [ENVIRONMENT]`.
 */
export const ENVIRONMENT = Symbol.for("cascade.runtime.environment");
