import { Inject, Injectable } from "@nestjs/common";
import { SMS_CONFIG, type SmsConfig } from "../sms.config.js";
import { MessageBirdSmsProvider } from "./providers/messagebird.provider.js";
import type { SmsProvider } from "./providers/sms-provider.js";
import { TwilioSmsProvider } from "./providers/twilio.provider.js";

/** The configured provider adapter, or undefined when its credentials are not set. */
@Injectable()
export class SmsProviderRegistry {
  readonly active: SmsProvider | undefined;

  constructor(@Inject(SMS_CONFIG) config: SmsConfig) {
    this.active = build(config);
  }
}

function build(config: SmsConfig): SmsProvider | undefined {
  switch (config.SMS_PROVIDER) {
    case "twilio":
      if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) return undefined;
      return new TwilioSmsProvider({
        accountSid: config.TWILIO_ACCOUNT_SID,
        authToken: config.TWILIO_AUTH_TOKEN,
        baseUrl: config.TWILIO_BASE_URL,
        timeoutMs: config.SMS_PROVIDER_TIMEOUT_MS,
      });
    case "messagebird":
      if (!config.MESSAGEBIRD_ACCESS_KEY) return undefined;
      return new MessageBirdSmsProvider({
        accessKey: config.MESSAGEBIRD_ACCESS_KEY,
        baseUrl: config.MESSAGEBIRD_BASE_URL,
        timeoutMs: config.SMS_PROVIDER_TIMEOUT_MS,
      });
  }
}
