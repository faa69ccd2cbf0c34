import { runMain } from "@cascade/runtime";
import { profilesService } from "./index.js";

await runMain("profiles", [profilesService]);
