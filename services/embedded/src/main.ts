import { runMain } from "@cascade/runtime";
import { withPublicUrlDefaults } from "./public-url-defaults.js";
import { ALL_SERVICES } from "./services.js";

// Embedded mode: every service in one process, on the embedded bus and PGlite unless KAFKA_BROKERS /
// DATABASE_URL are set. The services' public URLs default to this process's own.
Object.assign(process.env, withPublicUrlDefaults(process.env));
await runMain("cascade", ALL_SERVICES);
