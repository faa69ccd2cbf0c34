import { browserKeyValueStore } from "../../browser/storage.js";
import { EngagementClock } from "../../engagement-clock.js";
import { uuidV4, type JsonObject } from "../../messages.js";
import {
  activeLanding,
  DEFAULT_LANDING_PARAMETER,
  landingContext,
  landingFrom,
  parseLanding,
} from "../landing-attribution.js";
import {
  decidePrompt,
  DEFAULT_MIN_ENGAGED_MS,
  DEFAULT_PROMPT_POLICY,
  parsePromptState,
  recordAnswer,
  recordEngagement,
  recordPageView,
  type NotificationPermissionState,
  type PromptDecision,
  type PromptPolicy,
  type PushPromptState,
} from "../prompt-gate.js";
import {
  subscriptionRegistration,
  WORKER_CACHE_NAME,
  WORKER_SETTINGS_PATH,
  type WorkerSettings,
} from "../push-notification.js";
import { applicationServerKey, sameKey } from "../vapid-key.js";

/** What the push module needs from the running tracking SDK (`createCascade(...)` or the global `cascade`). */
export interface PushHost {
  readonly anonymousId: string;
  readonly userId?: string;
  readonly writeKey: string;
  /** The tracking API base URL. */
  readonly host: string;
  track(event: string, properties?: JsonObject): string;
  addContext(provider: () => JsonObject | undefined): () => void;
}

export interface PushOptions {
  /** channel-push's VAPID public key (base64url); fetched from `<apiHost>/api/push/vapid-public-key` when absent. */
  vapidPublicKey?: string;
  /** The service worker script on the site's origin (default "/cascade-sw.js", built as cascade-sw.js). */
  serviceWorkerUrl?: string;
  /** Service worker scope (default: the script's directory). */
  scope?: string;
  /** channel-push's base URL (default: the tracking host; they differ when services run separately). */
  apiHost?: string;
  /** Engaged visits before asking (default 3). The first page view never asks. */
  minEngagedVisits?: number;
  /** Visible time that makes a page view engaged without interaction (default 10 000 ms). */
  minEngagedMs?: number;
  /** Inactivity that ends a visit (default 30 minutes). */
  visitTimeoutMs?: number;
  /** After "not now": ask again this many days later (and after minEngagedVisits more engaged visits). Default never. */
  askAgainAfterDays?: number | null;
  /**
   * The site's own in-page prompt, shown before the browser's: resolve true when the visitor accepts (the
   * browser prompt follows, within the visitor's click), false for "not now" (remembered).
   */
  softPrompt?: () => boolean | Promise<boolean>;
  /** The URL parameter channel-push adds to notification links (default "cascade_push"). */
  landingParameter?: string;
  /** How long after landing from a notification messages carry `context.push` (default 24 hours). */
  attributionWindowHours?: number;
  /** Prefix of the localStorage keys (default "cascade."). */
  storagePrefix?: string;
  onSubscribed?: (subscription: PushSubscriptionJSON) => void;
  onError?: (error: Error) => void;
}

/** Where the push module stands on this browser. */
export interface PushStatus {
  supported: boolean;
  permission: NotificationPermissionState;
  pageViews: number;
  engagedVisits: number;
  pageViewEngaged: boolean;
  decision: PromptDecision;
  /** The subscription this browser registered with channel-push, if any. */
  endpoint?: string;
}

export interface CascadePush {
  status(): PushStatus;
  /**
   * Asks now, e.g. from a "Get notifications" button (the site's own prompt): skips the visit count, not a
   * denial. Subscribes when granted.
   */
  requestPermission(): Promise<NotificationPermissionState>;
  /** Registers the subscription again under the current user; call after `identify`. Page loads do it too. */
  sync(): Promise<void>;
  stop(): void;
}

/** Track events the push module sends through the tracking SDK. */
export const PushTrackEvents = {
  PermissionRequested: "Push Permission Requested",
  PermissionAnswered: "Push Permission Answered",
  Subscribed: "Push Subscribed",
} as const;

const INTERACTIONS = ["pointerdown", "keydown", "touchstart", "scroll"] as const;

interface RegisteredSubscription {
  endpoint: string;
  contactId: string;
}

/**
 * Starts web push on this page: counts the page view and, once it is engaged, the visit; asks for permission
 * when the gate (prompt-gate.ts) says so; when granted, registers the service worker, subscribes with the VAPID
 * key and registers the subscription with channel-push; keeps the push a visitor landed from in `context.push`.
 */
export function createPush(cascade: PushHost, options: PushOptions = {}): CascadePush {
  const prefix = options.storagePrefix ?? "cascade.";
  const store = browserKeyValueStore();
  const keys = {
    state: `${prefix}push`,
    subscription: `${prefix}push.subscription`,
    device: `${prefix}push.device`,
    landing: `${prefix}push.landing`,
  };
  const policy: PromptPolicy = {
    minEngagedVisits: options.minEngagedVisits ?? DEFAULT_PROMPT_POLICY.minEngagedVisits,
    visitTimeoutMs: options.visitTimeoutMs ?? DEFAULT_PROMPT_POLICY.visitTimeoutMs,
    askAgainAfterMs:
      options.askAgainAfterDays === undefined || options.askAgainAfterDays === null
        ? null
        : options.askAgainAfterDays * 86_400_000,
  };
  const minEngagedMs = options.minEngagedMs ?? DEFAULT_MIN_ENGAGED_MS;
  const apiHost = (options.apiHost ?? cascade.host).replace(/\/+$/, "");
  const supported =
    typeof navigator !== "undefined" &&
    "serviceWorker" in navigator &&
    typeof PushManager !== "undefined" &&
    typeof Notification !== "undefined";
  const permission = (): NotificationPermissionState =>
    supported ? (Notification.permission as NotificationPermissionState) : "default";
  const load = (): PushPromptState => parsePromptState(store.get(keys.state));
  const save = (state: PushPromptState): void => store.set(keys.state, JSON.stringify(state));
  const fail = (error: unknown): void => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  // The push the visitor landed from, kept in context.push for the attribution window.
  const windowMs = (options.attributionWindowHours ?? 24) * 3_600_000;
  const landed = landingFrom(location.search, options.landingParameter ?? DEFAULT_LANDING_PARAMETER, Date.now());
  if (landed) store.set(keys.landing, JSON.stringify(landed));
  const removeContext = cascade.addContext(() =>
    landingContext(activeLanding(parseLanding(store.get(keys.landing)), Date.now(), windowMs)),
  );

  save(recordPageView(load(), Date.now(), policy));
  let pageViewEngaged = false;
  let asked = false;
  let syncing: Promise<void> | undefined;
  const decide = (): PromptDecision =>
    decidePrompt(load(), { permission: permission(), supported, pageViewEngaged, now: Date.now() }, policy);

  const deviceId = (): string => {
    const existing = store.get(keys.device);
    if (existing) return existing;
    const created = uuidV4();
    store.set(keys.device, created);
    return created;
  };

  const subscribeAndRegister = async (): Promise<void> => {
    const registration = await navigator.serviceWorker.register(
      options.serviceWorkerUrl ?? "/cascade-sw.js",
      options.scope ? { scope: options.scope } : undefined,
    );
    await activated(registration);
    const settings: WorkerSettings = {
      writeKey: cascade.writeKey,
      host: cascade.host,
      apiHost,
      deviceId: deviceId(),
      anonymousId: cascade.anonymousId,
      ...(cascade.userId ? { userId: cascade.userId } : {}),
    };
    await writeWorkerSettings(settings);
    const key = applicationServerKey(options.vapidPublicKey ?? (await fetchVapidPublicKey(apiHost)));
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options?.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const contactId = settings.userId ?? settings.anonymousId;
    const registered = parseRegistered(store.get(keys.subscription));
    if (registered?.endpoint === subscription.endpoint && registered.contactId === contactId) return;
    const json = subscription.toJSON();
    const response = await fetch(`${apiHost}/api/push/subscriptions`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: subscriptionRegistration(settings, json),
      credentials: "omit",
    });
    if (!response.ok)
      throw new Error(
        `cascade.push: registering the subscription failed: HTTP ${response.status} ${await response.text()}`,
      );
    store.set(keys.subscription, JSON.stringify({ endpoint: subscription.endpoint, contactId }));
    if (registered?.endpoint !== subscription.endpoint)
      cascade.track(PushTrackEvents.Subscribed, { device_id: settings.deviceId });
    options.onSubscribed?.(json);
  };

  const sync = (): Promise<void> => {
    if (!supported || permission() !== "granted") return Promise.resolve();
    syncing ??= subscribeAndRegister().finally(() => (syncing = undefined));
    return syncing;
  };

  /**
   * Asks for permission. Without a soft prompt the browser prompt is requested synchronously, inside the
   * interaction that made the page view engaged when there was one (Firefox and Safari need a user gesture).
   */
  const ask = async (soft: PushOptions["softPrompt"]): Promise<NotificationPermissionState> => {
    cascade.track(PushTrackEvents.PermissionRequested, { soft_prompt: Boolean(soft) });
    if (soft) {
      let accepted = false;
      try {
        accepted = await soft();
      } catch (error) {
        fail(error);
      }
      if (!accepted) {
        save(recordAnswer(load(), "declined", Date.now()));
        cascade.track(PushTrackEvents.PermissionAnswered, { permission: "default", answer: "declined" });
        return "default";
      }
    }
    const answer = await requestNotificationPermission();
    cascade.track(PushTrackEvents.PermissionAnswered, {
      permission: answer,
      answer: answer === "default" ? "dismissed" : answer,
    });
    if (answer === "granted") await sync();
    else save(recordAnswer(load(), answer === "denied" ? "denied" : "dismissed", Date.now()));
    return answer;
  };

  const maybeAsk = (): void => {
    if (asked || decide().kind !== "prompt") return;
    asked = true;
    ask(options.softPrompt).catch(fail);
  };

  // Engagement of this page view: visible for minEngagedMs, or an interaction.
  const removers: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clock = new EngagementClock(() => performance.now(), document.visibilityState === "visible");
  const engaged = (): void => {
    if (pageViewEngaged) return;
    pageViewEngaged = true;
    clearTimeout(timer);
    save(recordEngagement(load(), Date.now()));
    maybeAsk();
  };
  const schedule = (): void => {
    clearTimeout(timer);
    if (!pageViewEngaged && document.visibilityState === "visible")
      timer = setTimeout(engaged, Math.max(0, minEngagedMs - clock.elapsedMs));
  };
  const listen = (target: EventTarget, type: string, handler: () => void): void => {
    target.addEventListener(type, handler, { capture: true, passive: true });
    removers.push(() => target.removeEventListener(type, handler, { capture: true }));
  };
  for (const type of INTERACTIONS) listen(window, type, engaged);
  listen(document, "visibilitychange", () => {
    if (document.visibilityState === "visible") clock.show();
    else clock.hide();
    schedule();
  });
  schedule();

  if (permission() === "granted") sync().catch(fail);

  return {
    status: () => {
      const state = load();
      const registered = parseRegistered(store.get(keys.subscription));
      return {
        supported,
        permission: permission(),
        pageViews: state.pageViews,
        engagedVisits: state.engagedVisits,
        pageViewEngaged,
        decision: decide(),
        ...(registered ? { endpoint: registered.endpoint } : {}),
      };
    },
    requestPermission: async () => {
      if (!supported) return "default";
      const current = permission();
      if (current === "granted") await sync();
      if (current !== "default") return current;
      asked = true;
      return ask(undefined);
    },
    sync,
    stop: () => {
      clearTimeout(timer);
      removers.splice(0).forEach((remove) => remove());
      removeContext();
    },
  };
}

/** Notification.requestPermission, also in browsers that only call back (Safari before 15). */
function requestNotificationPermission(): Promise<NotificationPermissionState> {
  return new Promise((resolve) => {
    const answer = (value: NotificationPermission): void => resolve(value as NotificationPermissionState);
    const promise = Notification.requestPermission(answer) as Promise<NotificationPermission> | undefined;
    if (promise) promise.then(answer, () => resolve("default"));
  });
}

/** Waits until the registration has an active worker (pushManager.subscribe needs one). */
async function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return;
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return;
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (worker.state === "activated") resolve();
      else if (worker.state === "redundant")
        reject(new Error("cascade.push: the service worker failed to install (see the console of the worker)"));
    };
    worker.addEventListener("statechange", check);
    check();
  });
}

/** Hands the write key, hosts and visitor ids to the service worker, which cannot read localStorage. */
async function writeWorkerSettings(settings: WorkerSettings): Promise<void> {
  if (typeof caches === "undefined") return;
  const cache = await caches.open(WORKER_CACHE_NAME);
  await cache.put(
    new URL(WORKER_SETTINGS_PATH, location.origin).href,
    new Response(JSON.stringify(settings), { headers: { "content-type": "application/json" } }),
  );
}

async function fetchVapidPublicKey(apiHost: string): Promise<string> {
  const response = await fetch(`${apiHost}/api/push/vapid-public-key`, { credentials: "omit" });
  if (!response.ok) throw new Error(`cascade.push: no VAPID public key from ${apiHost}: HTTP ${response.status}`);
  const { publicKey } = (await response.json()) as { publicKey?: unknown };
  if (typeof publicKey !== "string") throw new Error("cascade.push: the VAPID public key answer has no publicKey");
  return publicKey;
}

function parseRegistered(raw: string | null): RegisteredSubscription | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<RegisteredSubscription>;
    return typeof value.endpoint === "string" && typeof value.contactId === "string"
      ? { endpoint: value.endpoint, contactId: value.contactId }
      : undefined;
  } catch {
    return undefined;
  }
}
