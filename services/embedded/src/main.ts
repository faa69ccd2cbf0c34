import { exitOnConfigError } from "@cascade/config";
import { runMain } from "@cascade/runtime";
import { withPublicUrlDefaults, withTeamDefaults } from "./public-url-defaults.js";
import { ALL_SERVICES } from "./services.js";

// Embedded mode: every service in one process, on the embedded bus and PGlite unless KAFKA_BROKERS /
// DATABASE_URL are set. The services' public URLs default to this process's own; the templates' teams to
// local addresses (their mail shows in the outbox).
Object.assign(
  process.env,
  exitOnConfigError(() => ({ ...withPublicUrlDefaults(process.env), ...withTeamDefaults(process.env) })),
);
await runMain("cascade", ALL_SERVICES);
