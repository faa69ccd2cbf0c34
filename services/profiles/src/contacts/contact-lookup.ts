import type { EntityManager } from "typeorm";
import { IdentitiesRepository } from "../identity/identities.repository.js";
import { ContactsRepository } from "./contacts.repository.js";

/**
 * The contact an id names for the admin API: a contact id, or any user id / anonymous id linked to a contact
 * (so an anonymous id that was merged into a known contact finds that contact). Undefined when unknown.
 */
export async function contactIdFor(
  manager: EntityManager,
  workspaceId: string,
  id: string,
): Promise<string | undefined> {
  const linked = await new IdentitiesRepository().findAnyKind(manager, workspaceId, id);
  if (linked !== undefined) return linked;
  return (await new ContactsRepository().find(manager, workspaceId, id))?.contactId;
}
