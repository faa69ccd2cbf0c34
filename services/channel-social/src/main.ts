import { runMain } from "@cascade/runtime";
import { channelSocialService } from "./index.js";

await runMain("channel-social", [channelSocialService]);
