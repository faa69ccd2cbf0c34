import { runMain } from "@cascade/runtime";
import { triggersService } from "./index.js";

await runMain("triggers", [triggersService]);
