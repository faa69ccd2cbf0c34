import { Injectable } from "@nestjs/common";
import { Topics, type WorkflowCommand } from "@cascade/contracts";
import { handleOnce, Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { ContactProjectionRepository } from "../../contacts/contact-projection.repository.js";
import { TriggerRegistry } from "../../definitions/trigger-registry.js";
import { RunStarter } from "../../entry/run-starter.js";
import { unknownContact, type ContactView } from "../../matching/evaluation-context.js";
import { holds } from "../../matching/event-matcher.js";
import { TRIGGERS_SCHEMA, TriggersGroups } from "../../shared/constants.js";
import { crossed } from "../threshold-crossing.js";

export interface PredictionCommand {
  messageId: string;
  workspaceId: string;
  contactId: string;
  /** Lower-case model name, e.g. `churn`. */
  model: string;
  score: number;
  /** The producer's previous score, used when this service has none stored. */
  previousScore: number | undefined;
  scoredAt: Date;
}

/**
 * Keeps the latest score per (contact, model) and starts runs of predictive triggers whose threshold the new
 * score crosses. A score older than the stored one is stale and changes nothing.
 */
@Injectable()
export class EvaluatePredictionUseCase {
  private readonly contacts = new ContactProjectionRepository();
  private readonly outbox = new Outbox(TRIGGERS_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly registry: TriggerRegistry,
    private readonly starter: RunStarter,
  ) {}

  async execute(prediction: PredictionCommand): Promise<"processed" | "duplicate"> {
    let commands: WorkflowCommand[] = [];
    const result = await handleOnce(
      this.dataSource,
      { schema: TRIGGERS_SCHEMA, group: TriggersGroups.predictions, messageId: prediction.messageId },
      async (manager) => {
        const previous = await this.swapLevel(manager, prediction);
        if (previous === "stale") return;
        commands = await this.starts(manager, prediction, previous ?? prediction.previousScore);
        if (commands.length > 0)
          await this.outbox.add(
            manager,
            Topics.WorkflowCommandsV1,
            commands.map((value) => ({ value })),
          );
      },
    );
    if (commands.length > 0) this.relays.notify(TRIGGERS_SCHEMA);
    return result;
  }

  /** Stores the new score; returns the one it replaced, undefined when none, "stale" when the stored one is newer. */
  private async swapLevel(
    manager: EntityManager,
    prediction: PredictionCommand,
  ): Promise<number | undefined | "stale"> {
    const key = [prediction.workspaceId, prediction.contactId, prediction.model];
    const rows: Array<{ score: number; scored_at: Date }> = await manager.query(
      `SELECT score, scored_at FROM triggers.prediction_levels WHERE workspace_id = $1 AND contact_id = $2 AND model = $3 FOR UPDATE`,
      key,
    );
    const stored = rows[0];
    if (stored && stored.scored_at.getTime() > prediction.scoredAt.getTime()) return "stale";
    await manager.query(
      `INSERT INTO triggers.prediction_levels (workspace_id, contact_id, model, score, scored_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, contact_id, model) DO UPDATE SET score = EXCLUDED.score, scored_at = EXCLUDED.scored_at`,
      [...key, prediction.score, prediction.scoredAt],
    );
    return stored?.score;
  }

  private async starts(
    manager: EntityManager,
    prediction: PredictionCommand,
    previous: number | undefined,
  ): Promise<WorkflowCommand[]> {
    const crossing = this.registry.index
      .predictiveCandidates(prediction.workspaceId, prediction.model)
      .filter((trigger) => crossed(previous, prediction.score, trigger.threshold, trigger.direction));
    if (crossing.length === 0) return [];
    let contact: ContactView | undefined;
    if (crossing.some((trigger) => trigger.filter?.readsContact || trigger.workflow.exclusions.length > 0)) {
      contact =
        (await this.contacts.find(manager, prediction.workspaceId, prediction.contactId)) ??
        unknownContact(prediction.contactId);
    }
    const context = { contact, prediction: { [prediction.model]: prediction.score } };
    const commands: WorkflowCommand[] = [];
    for (const trigger of crossing) {
      if (!holds(trigger.filter, context, prediction.scoredAt)) continue;
      const command = await this.starter.start(manager, {
        workflow: trigger.workflow,
        trigger,
        kind: "predictive",
        triggerId: trigger.nodeId,
        contactId: prediction.contactId,
        contact,
        at: prediction.scoredAt,
        causeId: prediction.messageId,
        // `prediction` is the root workflow expressions and templates read (`prediction.churn`, orchestrator).
        payload: {
          model: prediction.model,
          score: prediction.score,
          previous_score: previous ?? null,
          threshold: trigger.threshold,
          prediction: { [prediction.model]: prediction.score },
        },
      });
      if (command) commands.push(command);
    }
    return commands;
  }
}
