import { Module } from "@nestjs/common";
import { AdminAuthGuard } from "./admin-auth.guard.js";
import { AdminKeysRepository } from "./admin-keys.repository.js";
import { SourcesController } from "./sources.controller.js";
import { SourcesRepository } from "./sources.repository.js";
import { ManageAdminKeysUseCase, ManageSourcesUseCase } from "./sources.use-cases.js";
import { WriteKeyResolver } from "./write-key-resolver.js";

/** Sources (write keys) and admin keys, with their admin API. */
@Module({
  controllers: [SourcesController],
  providers: [
    SourcesRepository,
    AdminKeysRepository,
    WriteKeyResolver,
    AdminAuthGuard,
    ManageSourcesUseCase,
    ManageAdminKeysUseCase,
  ],
  exports: [WriteKeyResolver, AdminAuthGuard, AdminKeysRepository],
})
export class SourcesModule {}
