import { Module } from "@nestjs/common";
import { MailgunController } from "./mailgun/mailgun.controller.js";
import { RecordCallbackUseCase } from "./record-callback.use-case.js";
import { SocialController } from "./social/social.controller.js";
import { TwilioController } from "./twilio/twilio.controller.js";

/** Provider callbacks (Mailgun, Twilio, social networks) → events.v1. */
@Module({
  controllers: [MailgunController, TwilioController, SocialController],
  providers: [RecordCallbackUseCase],
})
export class CallbacksModule {}
