import type { BatchPayload } from "./messages.js";

/**
 * What a send attempt came to:
 * - `delivered`: the ingest API answered 2xx;
 * - `retry`: worth trying again later (no network, timeout, 408, 429, 5xx). `status` is absent when no HTTP
 *   answer arrived (offline, DNS, CORS), which does not count against a message's attempts;
 * - `rejected`: a 4xx that will never succeed (bad write key, invalid body); the batch is dropped.
 */
export type SendOutcome =
  | { kind: "delivered" }
  | { kind: "retry"; status?: number; reason: string }
  | { kind: "rejected"; status: number; reason: string };

/** How batches reach the ingest API. The browser implementation uses fetch and navigator.sendBeacon. */
export interface Transport {
  /** Sends one batch and reports the outcome; never throws. */
  send(payload: BatchPayload): Promise<SendOutcome>;
  /**
   * Hands one batch to the browser to deliver even if the page is going away (sendBeacon). Returns false if
   * the browser refused it (payload too large, quota), in which case the batch stays queued.
   */
  sendOnUnload(payload: BatchPayload): boolean;
}

/** Maps an HTTP status to an outcome, the same way for every transport. */
export function outcomeOfStatus(status: number, reason = `HTTP ${status}`): SendOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 408 || status === 429 || status >= 500) return { kind: "retry", status, reason };
  return { kind: "rejected", status, reason };
}
