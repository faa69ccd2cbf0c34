import { Injectable } from "@nestjs/common";
import { DataSource, type EntityManager } from "typeorm";

/** Per-workspace email settings stored in channel_email.workspace_settings. */
export interface WorkspaceEmailSettings {
  /** Off: no open pixel and no rewritten links in this workspace's mail (EMAIL_TRACKING_ENABLED still applies). */
  trackingEnabled: boolean;
}

const DEFAULTS: WorkspaceEmailSettings = { trackingEnabled: true };
/** How long a replica trusts its cached settings; the replica that stored them forgets its copy at once. */
const CACHE_TTL_MS = 10_000;

@Injectable()
export class WorkspaceSettings {
  private readonly cache = new Map<string, { settings: WorkspaceEmailSettings; loadedAt: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async get(workspaceId: string): Promise<WorkspaceEmailSettings> {
    const cached = this.cache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < CACHE_TTL_MS) return cached.settings;
    const rows = (await this.dataSource.query(
      `SELECT tracking_enabled FROM channel_email.workspace_settings WHERE workspace_id = $1`,
      [workspaceId],
    )) as Array<{
      tracking_enabled: boolean;
    }>;
    const settings = rows[0] ? { trackingEnabled: rows[0].tracking_enabled } : DEFAULTS;
    this.cache.set(workspaceId, { settings, loadedAt: Date.now() });
    return settings;
  }

  async put(manager: EntityManager, workspaceId: string, settings: WorkspaceEmailSettings, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO channel_email.workspace_settings (workspace_id, tracking_enabled, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET tracking_enabled = EXCLUDED.tracking_enabled, updated_at = EXCLUDED.updated_at`,
      [workspaceId, settings.trackingEnabled, at],
    );
    this.cache.delete(workspaceId);
  }
}
