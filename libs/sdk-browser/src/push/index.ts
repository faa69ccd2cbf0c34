/**
 * Web push for the browser SDK (ES module entry, built to cascade-push.esm.js; the tracking SDK stays a
 * separate, smaller bundle). See libs/sdk-browser/README.md, "Web push".
 *
 *   import { createCascade } from "./cascade.esm.js";
 *   import { createPush } from "./cascade-push.esm.js";
 *   const cascade = createCascade({ writeKey: "wk_...", host: "https://cascade.example.com" });
 *   const push = createPush(cascade, { serviceWorkerUrl: "/cascade-sw.js", minEngagedVisits: 3 });
 */
export {
  createPush,
  PushTrackEvents,
  type CascadePush,
  type PushHost,
  type PushOptions,
  type PushStatus,
} from "./browser/create-push.js";
export {
  decidePrompt,
  DEFAULT_MIN_ENGAGED_MS,
  DEFAULT_PROMPT_POLICY,
  isEngaged,
  newPromptState,
  parsePromptState,
  recordAnswer,
  recordEngagement,
  recordPageView,
  type NotificationPermissionState,
  type PromptDecision,
  type PromptPolicy,
  type PushPromptState,
} from "./prompt-gate.js";
export { DEFAULT_LANDING_PARAMETER, type LandingAttribution } from "./landing-attribution.js";
export { notificationOf, PushEvents, type PushPayload } from "./push-notification.js";
