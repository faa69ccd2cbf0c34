import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type ProfileChange } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { SOCIAL_PROFILES_GROUP } from "../social.config.js";
import { EraseSocialContactUseCase } from "./erase-social-contact.use-case.js";

/** profiles.changes.v1: only ContactErased concerns channel-social. */
@Controller()
export class SocialContactsConsumer {
  constructor(private readonly erase: EraseSocialContactUseCase) {}

  @Consume(Topics.ProfilesChangesV1, { group: SOCIAL_PROFILES_GROUP })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    if (change.change.case !== "erased" || !change.envelope) return "skipped";
    return this.erase.execute({
      messageId: message.id,
      workspaceId: change.envelope.workspace,
      contactId: change.contactId,
    });
  }
}
