import type { BatchPayload } from "../messages.js";
import { outcomeOfStatus, type SendOutcome, type Transport } from "../transport.js";

/**
 * POSTs batches to `<host>/v1/batch` as text/plain JSON with the write key in the body: a CORS "simple"
 * request (no preflight) that sendBeacon can also make. The ingest API reads text/plain bodies as JSON.
 */
export function httpTransport(host: string, timeoutMs = 10_000): Transport {
  const url = `${host.replace(/\/+$/, "")}/v1/batch`;
  return {
    async send(payload: BatchPayload): Promise<SendOutcome> {
      const controller = typeof AbortController === "function" ? new AbortController() : undefined;
      const timer = setTimeout(() => controller?.abort(), timeoutMs);
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify(payload),
          credentials: "omit",
          signal: controller?.signal,
        });
        return outcomeOfStatus(response.status, `HTTP ${response.status} from ${url}`);
      } catch (error) {
        return { kind: "retry", reason: `no answer from ${url}: ${String(error)}` };
      } finally {
        clearTimeout(timer);
      }
    },
    sendOnUnload(payload: BatchPayload): boolean {
      const body = JSON.stringify(payload);
      try {
        if (typeof navigator.sendBeacon === "function") return navigator.sendBeacon(url, body);
      } catch {
        // fall through to keepalive fetch
      }
      void fetch(url, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body,
        keepalive: true,
        credentials: "omit",
      }).catch(() => undefined);
      return true;
    },
  };
}
