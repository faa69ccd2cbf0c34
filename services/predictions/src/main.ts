import { runMain } from "@cascade/runtime";
import { predictionsService } from "./index.js";

await runMain("predictions", [predictionsService]);
