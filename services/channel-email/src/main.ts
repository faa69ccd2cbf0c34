import { runMain } from "@cascade/runtime";
import { channelEmailService } from "./index.js";

await runMain("channel-email", [channelEmailService]);
