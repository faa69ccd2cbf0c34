/**
 * Script-tag entry of web push (cascade-push.min.js), loaded after cascade.min.js; adds `cascade.push`:
 *
 *   <script src="/cascade.min.js" data-write-key="wk_..." data-host="https://cascade.example.com"></script>
 *   <script src="/cascade-push.min.js"></script>
 *   <script>cascade.push.init({ serviceWorkerUrl: "/cascade-sw.js", minEngagedVisits: 3 });</script>
 */
import type { JsonObject } from "../messages.js";
import { createPush, type CascadePush, type PushHost, type PushOptions } from "./browser/create-push.js";
import type { NotificationPermissionState } from "./prompt-gate.js";

/** The parts of the script-tag SDK's global `cascade` that push uses. */
interface GlobalCascade {
  user(): { anonymousId: string; userId?: string };
  settings(): { writeKey: string; host: string };
  track(event: string, properties?: JsonObject): string;
  addContext(provider: () => JsonObject | undefined): () => void;
  push?: unknown;
}

const global = (window as unknown as { cascade?: GlobalCascade }).cascade;
if (!global || typeof global.settings !== "function")
  throw new Error("cascade-push: load cascade.min.js (this SDK version or later) before cascade-push.min.js");
const core: GlobalCascade = global;

const host: PushHost = {
  get anonymousId() {
    return core.user().anonymousId;
  },
  get userId() {
    return core.user().userId;
  },
  get writeKey() {
    return core.settings().writeKey;
  },
  get host() {
    return core.settings().host;
  },
  track: (event, properties) => core.track(event, properties),
  addContext: (provider) => core.addContext(provider),
};

let instance: CascadePush | undefined;
const running = (): CascadePush => {
  if (!instance) throw new Error("cascade.push: not started; call cascade.push.init({ ... }) first");
  return instance;
};

core.push = {
  init(options: PushOptions = {}): CascadePush {
    instance?.stop();
    instance = createPush(host, options);
    return instance;
  },
  status: (): ReturnType<CascadePush["status"]> => running().status(),
  requestPermission: (): Promise<NotificationPermissionState> => running().requestPermission(),
  sync: (): Promise<void> => running().sync(),
};
