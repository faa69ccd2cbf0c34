import { Module } from "@nestjs/common";
import { ContactsConsumer } from "./contacts/contacts.consumer.js";
import { ContactsController } from "./contacts/contacts.controller.js";
import { RecordActivityUseCase } from "./contacts/use-cases/record-activity.use-case.js";

@Module({
  controllers: [ContactsConsumer, ContactsController],
  providers: [RecordActivityUseCase],
})
export class ProfilesModule {}
