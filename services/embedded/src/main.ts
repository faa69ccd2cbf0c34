import { runMain } from "@cascade/runtime";
import { ALL_SERVICES } from "./services.js";

// Embedded mode: every service in one process, on the embedded bus and PGlite unless KAFKA_BROKERS /
// DATABASE_URL are set.
await runMain("cascade", ALL_SERVICES);
