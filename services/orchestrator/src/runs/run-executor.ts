import { Inject, Injectable } from "@nestjs/common";
import { Topics } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import type { EntityManager } from "typeorm";
import { CLOCK, type Clock } from "../clock/clock.js";
import { OrchestratorConfig } from "../config/orchestrator-config.js";
import { ContactsRepository } from "../contacts/contacts.repository.js";
import { DefinitionsRepository } from "../definitions/definitions.repository.js";
import type { CompiledDefinition } from "../engine/compiled-definition.js";
import { advance } from "../engine/engine.js";
import type { AdvanceResult, RunInput } from "../engine/engine-types.js";
import { contractMessage, runEventMessage } from "./run-messages.js";
import { RunsRepository, type RunRow } from "./runs.repository.js";

export const ORCHESTRATOR_SCHEMA = "orchestrator";
/** Ledger group of every orchestrator consumer (message ids are unique across topics). */
export const ORCHESTRATOR_GROUP = "orchestrator";

/**
 * Kafka consumer groups, one per topic: libs/bus runs one kafkajs consumer per subscription, and consumers of
 * one group subscribed to different topics get partitions of topics they do not read (kafkajs assumes equal
 * subscriptions), so each topic gets its own group.
 */
export const ConsumerGroups = {
  commands: "orchestrator",
  definitions: "orchestrator-definitions",
  events: "orchestrator-events",
  outcomes: "orchestrator-outcomes",
  profiles: "orchestrator-profiles",
} as const;

/**
 * Applies one input to one locked run inside the caller's transaction: runs the engine, saves the run, its
 * timers, waits and steps, and writes every message it implies (run events, channel requests, contact events)
 * to the outbox, so state and messages commit together.
 */
@Injectable()
export class RunExecutor {
  readonly runs = new RunsRepository();
  readonly contacts = new ContactsRepository();
  private readonly outbox = new Outbox(ORCHESTRATOR_SCHEMA);

  constructor(
    readonly definitions: DefinitionsRepository,
    @Inject(CLOCK) readonly clock: Clock,
    private readonly config: OrchestratorConfig,
  ) {}

  async definitionOf(
    manager: EntityManager,
    run: Pick<RunRow, "workspace" | "workflowId" | "version">,
  ): Promise<CompiledDefinition> {
    const definition = await this.definitions.compiledVersion(manager, run.workspace, run.workflowId, run.version);
    if (!definition) throw new Error(`run references unknown workflow ${run.workflowId} v${run.version}`);
    return definition;
  }

  /** `run` must be locked by the caller (RunsRepository.lock / lockActiveOfContact, or just inserted). */
  async apply(
    manager: EntityManager,
    run: RunRow,
    input: RunInput,
    definition?: CompiledDefinition,
  ): Promise<AdvanceResult> {
    const now = this.clock.now();
    const result = advance(run.state, run.status, input, {
      now,
      run,
      definition: definition ?? (await this.definitionOf(manager, run)),
      contact: await this.contacts.view(manager, run.workspace, run.contactId),
      teams: this.config.values.ORCHESTRATOR_TEAMS,
      addressGraceMs: this.config.values.ORCHESTRATOR_ADDRESS_GRACE_MS,
    });
    if (!result.changed) return result;
    await this.runs.saveAdvance(manager, run, result, now);
    await this.outbox.add(
      manager,
      Topics.WorkflowRunsV1,
      result.runEvents.map((spec) => ({ value: runEventMessage(run, spec) })),
    );
    await this.writeMessages(manager, run, result, now);
    return result;
  }

  private async writeMessages(manager: EntityManager, run: RunRow, result: AdvanceResult, now: Date): Promise<void> {
    for (const message of result.messages) {
      if (message.type === "social" && message.broadcastKey !== undefined) {
        if (!(await this.runs.claimBroadcast(manager, run.workspace, message.broadcastKey, run.runId))) continue;
      }
      const contract = contractMessage(run, message, now);
      switch (contract.topic) {
        case "email":
          await this.outbox.add(manager, Topics.ChannelEmailRequestsV1, [{ value: contract.value }]);
          break;
        case "sms":
          await this.outbox.add(manager, Topics.ChannelSmsRequestsV1, [{ value: contract.value }]);
          break;
        case "push":
          await this.outbox.add(manager, Topics.ChannelPushRequestsV1, [{ value: contract.value }]);
          break;
        case "social":
          await this.outbox.add(manager, Topics.ChannelSocialRequestsV1, [{ value: contract.value }]);
          break;
        case "events":
          await this.outbox.add(manager, Topics.EventsV1, [{ value: contract.value }]);
          break;
      }
    }
  }
}
