import { Controller, Get, Inject, NotFoundException, Param, UnauthorizedException, Headers } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { ContactActivityRepository, type ContactActivity } from "./contact-activity.repository.js";

/** Read access to a contact's activity, with the admin key as a bearer token. */
@Controller("api/contacts")
export class ContactsController {
  private readonly contacts = new ContactActivityRepository();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Get(":contactId")
  async get(@Param("contactId") contactId: string, @Headers("authorization") authorization?: string): Promise<ContactActivity> {
    if (authorization !== `Bearer ${this.workspace.adminKey}`) throw new UnauthorizedException("admin key required (Authorization: Bearer <key>)");
    const contact = await this.contacts.find(this.dataSource.manager, this.workspace.id, contactId);
    if (!contact) throw new NotFoundException(`no contact ${contactId}`);
    return contact;
  }
}
