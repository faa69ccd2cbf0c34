/**
 * Script-tag entry, built as an IIFE exposing the global `cascade`:
 *
 *   <script src="cascade.min.js" data-write-key="wk_..." data-host="https://cascade.example.com"></script>
 *   <script>cascade.track("Signed Up", { plan: "pro" });</script>
 *
 * With the data attributes the SDK starts at once; without them call `cascade.init({ writeKey, host })`.
 * Calls made before start are an error, so load this script before code that tracks.
 */
import { createCascade, type Cascade, type CascadeOptions } from "./browser/create-cascade.js";
import type { JsonObject } from "./messages.js";

let instance: Cascade | undefined;

function running(): Cascade {
  if (!instance)
    throw new Error(
      "cascade: not started; add data-write-key and data-host to the script tag or call cascade.init({ writeKey, host })",
    );
  return instance;
}

export function init(options: CascadeOptions): Cascade {
  instance?.stop();
  instance = createCascade(options);
  return instance;
}

export const identify = (userId?: string, traits?: JsonObject): string => running().identify(userId, traits);
export const track = (event: string, properties?: JsonObject): string => running().track(event, properties);
export const page = (name?: string, properties?: JsonObject, category?: string): string =>
  running().page(name, properties, category);
export const group = (groupId: string, traits?: JsonObject): string => running().group(groupId, traits);
export const alias = (userId: string, previousId?: string): string => running().alias(userId, previousId);
export const reset = (): void => running().reset();
export const flush = (): Promise<void> => running().flush();
export const user = (): { anonymousId: string; userId?: string } => ({
  anonymousId: running().anonymousId,
  userId: running().userId,
});
/** The write key and host the SDK was started with (used by cascade-push.min.js). */
export const settings = (): { writeKey: string; host: string } => ({
  writeKey: running().writeKey,
  host: running().host,
});
export const addContext = (provider: () => JsonObject | undefined): (() => void) => running().addContext(provider);

const script = document.currentScript;
const writeKey = script?.getAttribute("data-write-key");
const host = script?.getAttribute("data-host");
if (writeKey && host) init({ writeKey, host });
