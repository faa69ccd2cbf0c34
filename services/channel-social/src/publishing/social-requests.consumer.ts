import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type SocialRequest } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { SOCIAL_GROUP } from "../social.config.js";
import { PublishSocialPostUseCase } from "./use-cases/publish-social-post.use-case.js";

/** channel.social.requests.v1 → PublishSocialPostUseCase. */
@Controller()
export class SocialRequestsConsumer {
  constructor(private readonly publishSocialPost: PublishSocialPostUseCase) {}

  @Consume(Topics.ChannelSocialRequestsV1, { group: SOCIAL_GROUP })
  onRequest(@Payload() message: Delivered<SocialRequest>): Promise<HandlerResult> {
    return this.publishSocialPost.execute({ request: message.value, source: "request" });
  }
}
