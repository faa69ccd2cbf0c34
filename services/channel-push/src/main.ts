import { runMain } from "@cascade/runtime";
import { channelPushService } from "./index.js";

await runMain("channel-push", [channelPushService]);
