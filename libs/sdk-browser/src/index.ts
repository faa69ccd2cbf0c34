/**
 * @cascade/sdk-browser: the browser tracking SDK (ES module entry). See libs/sdk-browser/README.md.
 *
 *   import { createCascade } from "@cascade/sdk-browser";
 *   const cascade = createCascade({ writeKey: "wk_...", host: "https://cascade.example.com" });
 *   cascade.identify("user-42", { email: "ada@example.com" });
 *   cascade.track("Signed Up", { plan: "pro" });
 */
export { createCascade, type Cascade, type CascadeOptions } from "./browser/create-cascade.js";
export { AutoEvents, type AutoTrackOptions } from "./browser/auto-track.js";
export { Analytics, type AnalyticsDependencies } from "./analytics.js";
export {
  DeliveryQueue,
  DEFAULT_DELIVERY_OPTIONS,
  type DeliveryError,
  type DeliveryQueueOptions,
  type DeliveryQueueDependencies,
} from "./delivery-queue.js";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";
export { outcomeOfStatus, type SendOutcome, type Transport } from "./transport.js";
export { MemoryPendingStore, type PendingEntry, type PendingStore } from "./pending-store.js";
export { MemoryKeyValueStore, type KeyValueStore } from "./key-value-store.js";
export { Identity } from "./identity.js";
export { collectFormFields, isSendableControl, type FormControl } from "./form-fields.js";
export type {
  AliasMessage,
  BatchPayload,
  GroupMessage,
  IdentifyMessage,
  JsonObject,
  Message,
  PageMessage,
  TrackMessage,
} from "./messages.js";
export { SDK_NAME, SDK_VERSION } from "./version.js";
