import type { EntityManager } from "typeorm";
import type { ProviderKind } from "../config/email-config.js";
import { providerSpecSchema, type ProviderSpec } from "./provider-settings.js";
import type { SecretBox } from "./secret-box.js";

export type ProviderPosition = "primary" | "secondary";

export interface StoredProvider {
  position: ProviderPosition;
  spec: ProviderSpec;
  updatedAt: Date;
}

/** channel_email.provider_settings: a workspace's primary and secondary provider, secrets sealed by SecretBox. */
export class ProviderSettingsRepository {
  async replace(
    manager: EntityManager,
    box: SecretBox | undefined,
    workspaceId: string,
    specs: Array<{ position: ProviderPosition; spec: ProviderSpec }>,
    at: Date,
  ): Promise<void> {
    await manager.query(`DELETE FROM channel_email.provider_settings WHERE workspace_id = $1`, [workspaceId]);
    for (const { position, spec } of specs) {
      const hasSecrets = Object.keys(spec.secrets).length > 0;
      if (hasSecrets && !box) throw new Error("EMAIL_SECRETS_KEY is not set: provider secrets cannot be stored");
      await manager.query(
        `INSERT INTO channel_email.provider_settings (workspace_id, position, kind, settings, encrypted_secrets, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
        [
          workspaceId,
          position,
          spec.kind,
          JSON.stringify(spec.settings),
          hasSecrets && box ? box.seal(JSON.stringify(spec.secrets)) : null,
          at,
        ],
      );
    }
  }

  async list(manager: EntityManager, box: SecretBox | undefined, workspaceId: string): Promise<StoredProvider[]> {
    const rows = (await manager.query(
      `SELECT position, kind, settings, encrypted_secrets, updated_at FROM channel_email.provider_settings WHERE workspace_id = $1 ORDER BY position`,
      [workspaceId],
    )) as Array<{
      position: ProviderPosition;
      kind: ProviderKind;
      settings: unknown;
      encrypted_secrets: string | null;
      updated_at: Date;
    }>;
    return rows.map((row) => {
      if (row.encrypted_secrets && !box)
        throw new Error("EMAIL_SECRETS_KEY is not set: stored provider secrets cannot be read");
      const secrets: unknown = row.encrypted_secrets && box ? JSON.parse(box.open(row.encrypted_secrets)) : {};
      return {
        position: row.position,
        spec: providerSpecSchema.parse({ kind: row.kind, settings: row.settings, secrets }),
        updatedAt: new Date(row.updated_at),
      };
    });
  }

  /** The stored settings without secrets, for the API. */
  async describe(
    manager: EntityManager,
    workspaceId: string,
  ): Promise<Array<{ position: ProviderPosition; kind: string; settings: unknown; secretsStored: boolean }>> {
    const rows = (await manager.query(
      `SELECT position, kind, settings, encrypted_secrets IS NOT NULL AS secrets_stored FROM channel_email.provider_settings WHERE workspace_id = $1 ORDER BY position`,
      [workspaceId],
    )) as Array<{ position: ProviderPosition; kind: string; settings: unknown; secrets_stored: boolean }>;
    return rows.map((row) => ({
      position: row.position,
      kind: row.kind,
      settings: row.settings,
      secretsStored: row.secrets_stored,
    }));
  }
}
