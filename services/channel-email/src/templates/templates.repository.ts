import type { EntityManager } from "typeorm";

export type TemplateKind = "message" | "partial" | "layout";

export interface TemplateVersion {
  templateId: string;
  version: number;
  kind: TemplateKind;
  subject: string;
  html: string;
  text: string | null;
  layoutId: string | null;
  createdAt: Date;
}

interface TemplateRow {
  template_id: string;
  version: number;
  kind: TemplateKind;
  subject: string;
  html: string;
  text: string | null;
  layout_id: string | null;
  created_at: Date;
}

const toVersion = (row: TemplateRow): TemplateVersion => ({
  templateId: row.template_id,
  version: Number(row.version),
  kind: row.kind,
  subject: row.subject,
  html: row.html,
  text: row.text,
  layoutId: row.layout_id,
  createdAt: new Date(row.created_at),
});

/** channel_email.templates: immutable numbered versions of messages, partials and layouts. */
export class TemplatesRepository {
  /** Stores a new version (the next number) and returns it. */
  async addVersion(
    manager: EntityManager,
    workspaceId: string,
    draft: Omit<TemplateVersion, "version" | "createdAt">,
    at: Date,
  ): Promise<TemplateVersion> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `channel_email.templates:${workspaceId}:${draft.templateId}`,
    ]);
    const rows = (await manager.query(
      `INSERT INTO channel_email.templates (workspace_id, template_id, version, kind, subject, html, text, layout_id, created_at)
       SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5, $6, $7, $8 FROM channel_email.templates WHERE workspace_id = $1 AND template_id = $2
       RETURNING *`,
      [workspaceId, draft.templateId, draft.kind, draft.subject, draft.html, draft.text, draft.layoutId, at],
    )) as TemplateRow[];
    return toVersion(rows[0] as TemplateRow);
  }

  /** A given version, or the latest when `version` is 0 / undefined. */
  async find(
    manager: EntityManager,
    workspaceId: string,
    templateId: string,
    version?: number,
  ): Promise<TemplateVersion | undefined> {
    const rows = (await manager.query(
      version
        ? `SELECT * FROM channel_email.templates WHERE workspace_id = $1 AND template_id = $2 AND version = $3`
        : `SELECT * FROM channel_email.templates WHERE workspace_id = $1 AND template_id = $2 ORDER BY version DESC LIMIT 1`,
      version ? [workspaceId, templateId, version] : [workspaceId, templateId],
    )) as TemplateRow[];
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The latest version of every partial of the workspace, by name. */
  async partials(manager: EntityManager, workspaceId: string): Promise<Record<string, string>> {
    const rows = (await manager.query(
      `SELECT DISTINCT ON (template_id) template_id, html FROM channel_email.templates
       WHERE workspace_id = $1 AND kind = 'partial' ORDER BY template_id, version DESC`,
      [workspaceId],
    )) as Array<{ template_id: string; html: string }>;
    return Object.fromEntries(rows.map((row) => [row.template_id, row.html]));
  }
}
