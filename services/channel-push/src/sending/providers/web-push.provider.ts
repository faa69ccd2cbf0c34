import webpush from "web-push";
import type { PushDelivery, PushProvider, PushResult } from "./push-provider.js";

export interface VapidSettings {
  publicKey: string;
  privateKey: string;
  subject: string;
  timeoutMs: number;
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291). The `web-push`
 * package signs and encrypts (generateRequestDetails); the request goes out through fetch, which also
 * reaches a plain-HTTP push service on 127.0.0.1 in tests (web-push's own sender speaks HTTPS only).
 */
export class WebPushProvider implements PushProvider {
  readonly name = "webpush";

  constructor(private readonly vapid: VapidSettings) {}

  async send(delivery: PushDelivery): Promise<PushResult> {
    const { subscription } = delivery;
    const details = webpush.generateRequestDetails(
      { endpoint: subscription.address, keys: { p256dh: subscription.p256dh ?? "", auth: subscription.auth ?? "" } },
      delivery.payload,
      {
        vapidDetails: {
          subject: this.vapid.subject,
          publicKey: this.vapid.publicKey,
          privateKey: this.vapid.privateKey,
        },
        TTL: delivery.ttlSeconds,
        urgency: delivery.urgency,
        ...(delivery.topic ? { topic: delivery.topic } : {}),
        contentEncoding: "aes128gcm",
      },
    );
    let response: Response;
    try {
      response = await fetch(details.endpoint, {
        method: details.method,
        headers: Object.fromEntries(Object.entries(details.headers).map(([name, value]) => [name, String(value)])),
        body: details.body ? new Uint8Array(details.body) : undefined,
        signal: AbortSignal.timeout(this.vapid.timeoutMs),
      });
    } catch (error) {
      return {
        kind: "rejected",
        status: 0,
        reason: `push_service_unreachable: ${error instanceof Error ? error.message : String(error)}`,
        retryable: true,
      };
    }
    await response.arrayBuffer();
    if (response.status === 201 || response.status === 202 || response.status === 200) {
      return { kind: "accepted", providerMessageId: response.headers.get("location") ?? "" };
    }
    if (response.status === 404 || response.status === 410) return { kind: "expired", status: response.status };
    return {
      kind: "rejected",
      status: response.status,
      reason: `push_service_http_${response.status}`,
      retryable: response.status === 429 || response.status >= 500,
    };
  }
}
