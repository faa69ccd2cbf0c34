import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from "@nestjs/common";
import { DataSource } from "typeorm";
import { TriggersConfig } from "../config/triggers.config.js";
import { compileWorkflow } from "../matching/compile-workflow.js";
import { EventMatcher } from "../matching/event-matcher.js";
import { TriggerIndex } from "../matching/trigger-index.js";
import { hydrateWorkflow } from "../matching/workflow-snapshot.js";
import { WorkflowsRepository } from "./workflows.repository.js";

const LOOK_BACK = 100n;

/**
 * Holds this replica's in-memory trigger index. It is built from `triggers.workflows` before consumers start,
 * then kept current by reloading changed rows: at once after this replica applies a definition, and every
 * TRIGGERS_INDEX_REFRESH_INTERVAL for changes applied by the replica that owns the definitions partition.
 */
@Injectable()
export class TriggerRegistry implements OnModuleInit, OnModuleDestroy {
  readonly index = new TriggerIndex();
  readonly matcher = new EventMatcher(this.index);
  private readonly log = new Logger(TriggerRegistry.name);
  private readonly workflows = new WorkflowsRepository();
  /** Revision of each indexed workflow, so a re-read row that did not change is not recompiled. */
  private readonly applied = new Map<string, bigint>();
  private lastRevision = 0n;
  private refreshing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: TriggersConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.log.log({ msg: "trigger index built", workflows: this.index.workflowCount });
    this.timer = setInterval(() => {
      this.refresh({ lookBack: true }).catch((error: unknown) =>
        this.log.error({ msg: "trigger index refresh failed", err: error }),
      );
    }, this.config.indexRefreshIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Reloads workflows changed since the last refresh (serialised). `lookBack` (the periodic refresh) also re-reads
   * the last {@link LOOK_BACK} revisions: a transaction holding an older revision may commit after a newer one was read.
   */
  refresh(options: { lookBack?: boolean } = {}): Promise<void> {
    const reload = () => this.reload(options.lookBack === true);
    this.refreshing = this.refreshing.then(reload, reload);
    return this.refreshing;
  }

  private async reload(lookBack: boolean): Promise<void> {
    const from =
      lookBack && this.lastRevision > LOOK_BACK ? this.lastRevision - LOOK_BACK : lookBack ? 0n : this.lastRevision;
    const changed = await this.workflows.changedSince(this.dataSource.manager, from);
    for (const stored of changed) {
      if (stored.revision > this.lastRevision) this.lastRevision = stored.revision;
      const key = `${stored.workspaceId}\u0000${stored.workflowId}`;
      if (this.applied.get(key) === stored.revision) continue;
      this.applied.set(key, stored.revision);
      if (stored.status === "archived") {
        this.index.remove(stored.workspaceId, stored.workflowId);
        continue;
      }
      if (stored.compiled?.format === 1) {
        this.index.upsert(hydrateWorkflow(stored.compiled));
        continue;
      }
      const compiled = compileWorkflow(stored);
      if (compiled.ok) this.index.upsert(compiled.workflow);
      else {
        // Stored rows were compiled before they were stored; this only happens if the compiler became stricter.
        this.index.remove(stored.workspaceId, stored.workflowId);
        this.log.error({
          msg: "stored workflow no longer compiles; not indexed",
          workflowId: stored.workflowId,
          problems: compiled.problems,
        });
      }
    }
  }
}
