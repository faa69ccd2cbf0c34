import { Module } from "@nestjs/common";
import { AdminKeyGuard } from "./admin/admin-key.guard.js";
import { ContactsConsumer } from "./contacts/contacts.consumer.js";
import { ContactsController } from "./contacts/contacts.controller.js";
import { ApplyEventUseCase } from "./contacts/use-cases/apply-event.use-case.js";
import { EraseContactUseCase } from "./contacts/use-cases/erase-contact.use-case.js";
import { ExportContactUseCase } from "./contacts/use-cases/export-contact.use-case.js";
import { GetContactUseCase } from "./contacts/use-cases/get-contact.use-case.js";
import { LeadScoringController } from "./scoring/lead-scoring.controller.js";
import {
  GetLeadScoringRulesUseCase,
  ReplaceLeadScoringRulesUseCase,
} from "./scoring/use-cases/lead-scoring-rules.use-case.js";

@Module({
  controllers: [ContactsConsumer, ContactsController, LeadScoringController],
  providers: [
    AdminKeyGuard,
    ApplyEventUseCase,
    GetContactUseCase,
    ExportContactUseCase,
    EraseContactUseCase,
    GetLeadScoringRulesUseCase,
    ReplaceLeadScoringRulesUseCase,
  ],
})
export class ProfilesModule {}
