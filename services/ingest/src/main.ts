import { runMain } from "@cascade/runtime";
import { ingestService } from "./index.js";

await runMain("ingest", [ingestService]);
