import { runMain } from "@cascade/runtime";
import { channelSmsService } from "./index.js";

await runMain("channel-sms", [channelSmsService]);
