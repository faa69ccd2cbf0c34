import { validateDefinition } from "@cascade/workflow";
import type { EntityManager } from "typeorm";
import { compileDefinition, type CompiledDefinition } from "../engine/compiled-definition.js";

export type DefinitionStatus = "published" | "archived";

export interface WorkflowHead {
  readonly version: number;
  readonly status: DefinitionStatus;
}

export interface StoredDefinition {
  readonly workspaceId: string;
  readonly workflowId: string;
  readonly version: number;
  readonly name: string;
  readonly status: DefinitionStatus;
  /** The definition JSON as received (validated on receipt). */
  readonly definition: unknown;
  readonly templateId: string | null;
}

/**
 * orchestrator.definitions (every version ever published, immutable) and orchestrator.workflow_heads (the
 * version new runs start on). Compiled versions are cached in memory: a version never changes.
 */
export class DefinitionsRepository {
  private readonly compiled = new Map<string, CompiledDefinition>();

  /** Inserts the version; returns the stored JSON when the version already existed. */
  async insert(
    manager: EntityManager,
    definition: StoredDefinition,
  ): Promise<{ inserted: boolean; existing?: unknown }> {
    const rows = (await manager.query(
      `INSERT INTO orchestrator.definitions (workspace_id, workflow_id, version, name, status, definition, template_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT DO NOTHING RETURNING version`,
      [
        definition.workspaceId,
        definition.workflowId,
        definition.version,
        definition.name,
        definition.status,
        JSON.stringify(definition.definition),
        definition.templateId,
      ],
    )) as unknown[];
    if (rows.length === 1) return { inserted: true };
    const existing = (await manager.query(
      `SELECT definition FROM orchestrator.definitions WHERE workspace_id = $1 AND workflow_id = $2 AND version = $3`,
      [definition.workspaceId, definition.workflowId, definition.version],
    )) as { definition: unknown }[];
    return { inserted: false, existing: existing[0]?.definition };
  }

  /** Moves the head: a newer published version becomes current; an archive stops new runs. */
  async updateHead(manager: EntityManager, workspaceId: string, workflowId: string, head: WorkflowHead): Promise<void> {
    await manager.query(
      `INSERT INTO orchestrator.workflow_heads (workspace_id, workflow_id, version, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, workflow_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status
       WHERE orchestrator.workflow_heads.version <= EXCLUDED.version`,
      [workspaceId, workflowId, head.version, head.status],
    );
  }

  async head(manager: EntityManager, workspaceId: string, workflowId: string): Promise<WorkflowHead | undefined> {
    const rows = (await manager.query(
      `SELECT version, status FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = $2`,
      [workspaceId, workflowId],
    )) as { version: number; status: DefinitionStatus }[];
    return rows[0];
  }

  /** The compiled version, or undefined when it was never received. */
  async compiledVersion(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    version: number,
  ): Promise<CompiledDefinition | undefined> {
    const key = `${workspaceId}\u0000${workflowId}\u0000${version}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const rows = (await manager.query(
      `SELECT definition FROM orchestrator.definitions WHERE workspace_id = $1 AND workflow_id = $2 AND version = $3`,
      [workspaceId, workflowId, version],
    )) as { definition: unknown }[];
    if (!rows[0]) return undefined;
    const validated = validateDefinition(rows[0].definition);
    if (!validated.ok || !validated.definition) {
      throw new Error(
        `stored definition ${workflowId} v${version} no longer validates: ${validated.problems.map((p) => p.message).join("; ")}`,
      );
    }
    const raw = rows[0].definition as { nodes?: unknown };
    const rawNodes = Array.isArray(raw.nodes) ? (raw.nodes as { id?: unknown; config?: unknown }[]) : [];
    const compiled = compileDefinition(validated.definition, version, rawNodes);
    if (this.compiled.size > 5_000) this.compiled.clear();
    this.compiled.set(key, compiled);
    return compiled;
  }
}
