import { Injectable } from "@nestjs/common";
import type { JsonObject } from "@cascade/contracts";
import { DataSource } from "typeorm";
import { ProfilesError } from "../../admin/profiles-error.js";
import { ConsentRepository } from "../../consent/consent.repository.js";
import { ActivityRepository, HISTORY_LIMIT } from "../activity.repository.js";
import { readContactView, type ContactView } from "./get-contact.use-case.js";

/** Everything profiles holds about one person (right of access / data portability). */
export interface ContactExport {
  format: "cascade.profiles.export.v1";
  exportedAt: string;
  workspaceId: string;
  contact: ContactView;
  consentEvidence: Array<{
    channel: string;
    status: string;
    source: string;
    occurredAt: string;
    messageId: string;
    event: string;
    recordedAt: string;
  }>;
  /** The most recent events (at most `historyLimit`; older ones survive only in `contact.counters`). */
  events: Array<{ messageId: string; event: string; occurredAt: string; properties: JsonObject }>;
  historyLimit: number;
}

@Injectable()
export class ExportContactUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: { workspaceId: string; id: string }): Promise<ContactExport> {
    const now = new Date();
    // One REPEATABLE READ snapshot so the parts of the export agree with each other.
    return this.dataSource.transaction("REPEATABLE READ", async (manager) => {
      const contact = await readContactView(manager, query.workspaceId, query.id, now);
      if (!contact)
        throw new ProfilesError("CONTACT_NOT_FOUND", `no contact with id, user id or anonymous id "${query.id}"`);
      const evidence = await new ConsentRepository().evidence(manager, query.workspaceId, contact.contactId);
      const history = await new ActivityRepository().history(manager, query.workspaceId, contact.contactId);
      return {
        format: "cascade.profiles.export.v1",
        exportedAt: now.toISOString(),
        workspaceId: query.workspaceId,
        contact,
        consentEvidence: evidence.map((entry) => ({
          channel: entry.channel,
          status: entry.status,
          source: entry.source,
          occurredAt: entry.occurredAt.toISOString(),
          messageId: entry.messageId,
          event: entry.event,
          recordedAt: entry.recordedAt.toISOString(),
        })),
        events: history.map((entry) => ({
          messageId: entry.messageId,
          event: entry.event,
          occurredAt: entry.occurredAt.toISOString(),
          properties: entry.properties,
        })),
        historyLimit: HISTORY_LIMIT,
      };
    });
  }
}
