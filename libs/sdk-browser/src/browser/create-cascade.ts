import { Analytics } from "../analytics.js";
import type { BackoffPolicy } from "../backoff.js";
import { DEFAULT_DELIVERY_OPTIONS, DeliveryQueue, type DeliveryError } from "../delivery-queue.js";
import { DEFAULT_DOWNLOAD_EXTENSIONS } from "../downloads.js";
import { Identity } from "../identity.js";
import { uuidV4 } from "../messages.js";
import { installAutoTracking, type AutoTrackOptions } from "./auto-track.js";
import { httpTransport } from "./http-transport.js";
import { browserContext, currentPageProperties } from "./page-context.js";
import { browserKeyValueStore, tabId, tabPendingStore } from "./storage.js";

export interface CascadeOptions {
  /** The source's write key. */
  writeKey: string;
  /** Base URL of the Cascade tracking API, e.g. https://cascade.example.com. */
  host: string;
  /** Send when this many messages wait (default 20). */
  flushAt?: number;
  /** Otherwise send this long after a message is queued (default 5000 ms). */
  flushIntervalMs?: number;
  /** Server errors a message may meet before it is dropped (default 10). */
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
  /** `false` turns all automatic tracking off; otherwise overrides of the defaults (all on). */
  autoTrack?: Partial<AutoTrackOptions> | false;
  /** Prefix of the localStorage keys (default "cascade."). */
  storagePrefix?: string;
  /** Called when messages are given up (rejected by the API, too many failures, queue full). */
  onError?: (error: DeliveryError) => void;
}

/**
 * A running SDK: the tracking calls, plus `stop()` to remove the page listeners, and the write key and host it
 * sends to (the push module reuses them).
 */
export interface Cascade extends Analytics {
  readonly writeKey: string;
  readonly host: string;
  stop(): void;
}

/** Starts the SDK on this page: persisted identity and queue, fetch/sendBeacon delivery, automatic tracking. */
export function createCascade(options: CascadeOptions): Cascade {
  if (!options.writeKey) throw new TypeError("cascade: writeKey is required");
  if (!/^https?:\/\//.test(options.host ?? ""))
    throw new TypeError("cascade: host must be an http(s) URL, e.g. https://cascade.example.com");
  const prefix = options.storagePrefix ?? "cascade.";
  const store = browserKeyValueStore();
  const queue = new DeliveryQueue(
    {
      ...DEFAULT_DELIVERY_OPTIONS,
      writeKey: options.writeKey,
      ...(options.flushAt !== undefined ? { flushAt: options.flushAt } : {}),
      ...(options.flushIntervalMs !== undefined ? { flushIntervalMs: options.flushIntervalMs } : {}),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      backoff: { ...DEFAULT_DELIVERY_OPTIONS.backoff, ...options.backoff },
    },
    {
      transport: httpTransport(options.host),
      store: tabPendingStore(store, prefix, tabId(uuidV4, prefix)),
      isOnline: () => navigator.onLine !== false,
      onError: options.onError,
    },
  );
  const analytics = new Analytics({
    queue,
    identity: new Identity(store, uuidV4, prefix),
    context: browserContext,
    pageProperties: currentPageProperties,
    newId: uuidV4,
  });
  const autoTrack = options.autoTrack;
  const stop =
    autoTrack === false
      ? () => undefined
      : installAutoTracking(analytics, queue, {
          pageViews: true,
          timeOnPage: true,
          forms: true,
          ctaClicks: true,
          downloads: true,
          downloadExtensions: DEFAULT_DOWNLOAD_EXTENSIONS,
          videos: true,
          ...autoTrack,
        });
  return Object.assign(analytics, { stop, writeKey: options.writeKey, host: options.host }) as Cascade;
}
