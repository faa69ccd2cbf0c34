import { runMain } from "@cascade/runtime";
import { orchestratorService } from "./index.js";

await runMain("orchestrator", [orchestratorService]);
