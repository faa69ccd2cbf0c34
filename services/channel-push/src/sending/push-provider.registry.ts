import { Inject, Injectable } from "@nestjs/common";
import { fcmCredentialsOf, PUSH_CONFIG, type PushConfig } from "../push.config.js";
import type { PushSubscriptionKind } from "../subscriptions/push-subscription.repository.js";
import { FcmPushProvider } from "./providers/fcm.provider.js";
import { ServiceAccountAccessTokens, StaticAccessToken } from "./providers/google-service-account.js";
import type { PushProvider } from "./providers/push-provider.js";
import { WebPushProvider } from "./providers/web-push.provider.js";

/** The adapters whose credentials are configured, by subscription kind. */
@Injectable()
export class PushProviderRegistry {
  private readonly providers = new Map<PushSubscriptionKind, PushProvider>();

  constructor(@Inject(PUSH_CONFIG) config: PushConfig) {
    if (config.PUSH_VAPID_PUBLIC_KEY && config.PUSH_VAPID_PRIVATE_KEY) {
      this.providers.set(
        "webpush",
        new WebPushProvider({
          publicKey: config.PUSH_VAPID_PUBLIC_KEY,
          privateKey: config.PUSH_VAPID_PRIVATE_KEY,
          subject: config.PUSH_VAPID_SUBJECT,
          timeoutMs: config.PUSH_TIMEOUT_MS,
        }),
      );
    }
    const fcm = fcmCredentialsOf(config);
    if (fcm) {
      this.providers.set(
        "fcm",
        new FcmPushProvider({
          projectId: fcm.projectId,
          // The wall clock, not PUSH_CLOCK: Google checks the JWT's iat / exp against real time.
          tokens:
            fcm.kind === "service-account"
              ? new ServiceAccountAccessTokens(fcm.key, { timeoutMs: config.PUSH_TIMEOUT_MS })
              : new StaticAccessToken(fcm.accessToken),
          baseUrl: config.FCM_BASE_URL,
          timeoutMs: config.PUSH_TIMEOUT_MS,
        }),
      );
    }
  }

  for(kind: PushSubscriptionKind): PushProvider | undefined {
    return this.providers.get(kind);
  }
}
