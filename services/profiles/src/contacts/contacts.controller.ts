import { Controller, Delete, Get, HttpCode, Inject, Param, Query, UseFilters, UseGuards } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { z } from "zod";
import { AdminKeyGuard } from "../admin/admin-key.guard.js";
import { parseBody } from "../admin/parse-body.js";
import { ProfilesErrorFilter } from "../admin/profiles-error.js";
import { EraseContactUseCase, type EraseContactResult } from "./use-cases/erase-contact.use-case.js";
import { ExportContactUseCase, type ContactExport } from "./use-cases/export-contact.use-case.js";
import { GetContactUseCase, type ContactView } from "./use-cases/get-contact.use-case.js";

const eraseQuery = z.object({
  requestedBy: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").default("api"),
  reason: z.string().max(1000, "must be at most 1000 characters").default(""),
});

/** Admin API over contacts (admin key as Bearer). `:contactId` may be a contact id, a user id or an anonymous id. */
@Controller("api/contacts")
@UseGuards(AdminKeyGuard)
@UseFilters(ProfilesErrorFilter)
export class ContactsController {
  constructor(
    private readonly getContact: GetContactUseCase,
    private readonly exportContact: ExportContactUseCase,
    private readonly eraseContact: EraseContactUseCase,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Get(":contactId")
  get(@Param("contactId") contactId: string): Promise<ContactView> {
    return this.getContact.execute({ workspaceId: this.workspace.id, id: contactId });
  }

  /** Everything profiles holds about the contact, as one JSON document. */
  @Get(":contactId/export")
  export(@Param("contactId") contactId: string): Promise<ContactExport> {
    return this.exportContact.execute({ workspaceId: this.workspace.id, id: contactId });
  }

  /** Erases the contact here and tells every service (ContactErased on profiles.changes.v1). 202: the others erase asynchronously. */
  @Delete(":contactId")
  @HttpCode(202)
  erase(@Param("contactId") contactId: string, @Query() query: unknown): Promise<EraseContactResult> {
    const { requestedBy, reason } = parseBody(eraseQuery, query);
    return this.eraseContact.execute({ workspaceId: this.workspace.id, id: contactId, requestedBy, reason });
  }
}
