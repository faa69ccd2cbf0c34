import type { EntityManager } from "typeorm";

/**
 * The already-published rows of profiles.outbox (the transactional outbox the runtime creates in this schema).
 * They hold copies of contact state (traits, consents) until purged, so an erasure removes the contact's.
 */
export class PublishedChangesRepository {
  /** Deletes published outbox rows with these message keys (`<workspace>:<contact id>`); unpublished rows stay. */
  async forgetKeys(manager: EntityManager, keys: ReadonlyArray<string>): Promise<void> {
    if (keys.length === 0) return;
    const placeholders = keys.map((_, index) => `$${index + 1}`).join(", ");
    await manager.query(`DELETE FROM profiles.outbox WHERE published_at IS NOT NULL AND key IN (${placeholders})`, [
      ...keys,
    ]);
  }
}
