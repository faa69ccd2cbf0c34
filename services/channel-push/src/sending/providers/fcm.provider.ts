import type { AccessTokenSource } from "./google-service-account.js";
import type { PushDelivery, PushProvider, PushResult } from "./push-provider.js";

export interface FcmSettings {
  projectId: string;
  /** A static FCM_ACCESS_TOKEN or tokens from the service-account key. */
  tokens: AccessTokenSource;
  /** https://fcm.googleapis.com in production; a local server in tests. */
  baseUrl: string;
  timeoutMs: number;
}

interface FcmError {
  error?: { status?: string; message?: string; details?: Array<{ errorCode?: string }> };
}

const URGENCY_PRIORITY = { "very-low": "normal", low: "normal", normal: "normal", high: "high" } as const;

/**
 * Firebase Cloud Messaging HTTP v1 API: POST /v1/projects/{project}/messages:send with a Bearer token. A 401 with
 * a refreshable token source (service account) gets a new token and the send is tried once more.
 */
export class FcmPushProvider implements PushProvider {
  readonly name = "fcm";

  constructor(private readonly settings: FcmSettings) {}

  async send(delivery: PushDelivery): Promise<PushResult> {
    const notification = JSON.parse(delivery.payload) as {
      title?: string;
      body?: string;
      url?: string;
      icon?: string;
      data?: Record<string, string>;
    };
    const message = {
      token: delivery.subscription.address,
      notification: {
        title: notification.title ?? "",
        body: notification.body ?? "",
        ...(notification.icon ? { image: notification.icon } : {}),
      },
      data: { payload: delivery.payload },
      android: {
        ttl: `${delivery.ttlSeconds}s`,
        priority: URGENCY_PRIORITY[delivery.urgency] === "high" ? "HIGH" : "NORMAL",
        ...(delivery.topic ? { collapse_key: delivery.topic } : {}),
      },
      webpush: {
        headers: {
          TTL: String(delivery.ttlSeconds),
          Urgency: delivery.urgency,
          ...(delivery.topic ? { Topic: delivery.topic } : {}),
        },
        ...(notification.url ? { fcm_options: { link: notification.url } } : {}),
      },
    };
    const body = JSON.stringify({ message });
    let token = await this.accessToken();
    if (typeof token !== "string") return token;
    let response = await this.post(body, token);
    if (!(response instanceof Response)) return response;
    if (response.status === 401 && this.settings.tokens.refreshable) {
      await response.body?.cancel();
      this.settings.tokens.invalidate(token);
      token = await this.accessToken();
      if (typeof token !== "string") return token;
      response = await this.post(body, token);
      if (!(response instanceof Response)) return response;
    }
    return this.resultOf(response);
  }

  private async accessToken(): Promise<string | PushResult> {
    try {
      return await this.settings.tokens.token();
    } catch (error) {
      return {
        kind: "rejected",
        status: 0,
        reason: `fcm_auth_failed: ${error instanceof Error ? error.message : String(error)}`,
        retryable: true,
      };
    }
  }

  private async post(body: string, token: string): Promise<Response | PushResult> {
    try {
      return await fetch(
        `${this.settings.baseUrl.replace(/\/$/, "")}/v1/projects/${encodeURIComponent(this.settings.projectId)}/messages:send`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        },
      );
    } catch (error) {
      return {
        kind: "rejected",
        status: 0,
        reason: `fcm_unreachable: ${error instanceof Error ? error.message : String(error)}`,
        retryable: true,
      };
    }
  }

  private async resultOf(response: Response): Promise<PushResult> {
    const body = (await response.json().catch(() => ({}))) as { name?: string } & FcmError;
    if (response.ok) return { kind: "accepted", providerMessageId: body.name ?? "" };
    const errorCode = body.error?.details?.find((detail) => detail.errorCode)?.errorCode ?? body.error?.status ?? "";
    if (response.status === 404 || errorCode === "UNREGISTERED") return { kind: "expired", status: response.status };
    return {
      kind: "rejected",
      status: response.status,
      reason: `fcm_${errorCode || response.status}`,
      retryable: response.status === 429 || response.status >= 500,
    };
  }
}
