import { runMain } from "@cascade/runtime";
import { studioService } from "./index.js";

await runMain("studio", [studioService]);
