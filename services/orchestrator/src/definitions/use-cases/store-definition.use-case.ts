import { Injectable } from "@nestjs/common";
import { WorkflowDefinitionStatus, type WorkflowDefinition as WorkflowDefinitionMessage } from "@cascade/contracts";
import { handleOnce } from "@cascade/db";
import { validateDefinition } from "@cascade/workflow";
import { DataSource } from "typeorm";
import { OrchestratorError } from "../../orchestrator-error.js";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA } from "../../runs/run-executor.js";
import { DefinitionsRepository } from "../definitions.repository.js";

export interface StoreDefinitionCommand {
  readonly messageId: string;
  readonly workspaceId: string;
  readonly message: WorkflowDefinitionMessage;
}

/**
 * Stores a published workflow version (immutable) after validating it; moves the workflow's head. An invalid
 * definition, or a second, different body for a known version, is refused with every problem listed.
 */
@Injectable()
export class StoreDefinitionUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly definitions: DefinitionsRepository,
  ) {}

  async execute(command: StoreDefinitionCommand): Promise<"processed" | "duplicate"> {
    const { message } = command;
    const parsed = parseJson(message.definitionJson);
    const validated = validateDefinition(parsed);
    const problems = validated.problems.map(
      (problem) => `${problem.code}${problem.nodeId ? ` (node ${problem.nodeId})` : ""}: ${problem.message}`,
    );
    if (message.workflowId === "") problems.push("workflow_id: must not be empty");
    if (message.version <= 0) problems.push(`version: must be a positive integer, got ${message.version}`);
    if (validated.definition && validated.definition.id !== message.workflowId) {
      problems.push(`definition id '${validated.definition.id}' differs from workflow_id '${message.workflowId}'`);
    }
    if (!validated.ok || problems.length > 0) {
      throw new OrchestratorError(
        "INVALID_DEFINITION",
        `workflow ${message.workflowId} v${message.version} refused, ${problems.length} problem(s): ${problems.join(" | ")}`,
      );
    }
    const status = message.status === WorkflowDefinitionStatus.ARCHIVED ? "archived" : "published";
    return handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.messageId },
      async (manager) => {
        const stored = await this.definitions.insert(manager, {
          workspaceId: command.workspaceId,
          workflowId: message.workflowId,
          version: message.version,
          name: message.name,
          status,
          definition: parsed,
          templateId: message.templateId || null,
        });
        if (!stored.inserted && canonicalJson(stored.existing) !== canonicalJson(parsed) && status === "published") {
          throw new OrchestratorError(
            "DEFINITION_CONFLICT",
            `workflow ${message.workflowId} v${message.version} is already published with a different body; versions are immutable`,
          );
        }
        await this.definitions.updateHead(manager, command.workspaceId, message.workflowId, {
          version: message.version,
          status,
        });
      },
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new OrchestratorError("INVALID_DEFINITION", `definition_json is not JSON: ${(error as Error).message}`);
  }
}

/** JSON with sorted keys: jsonb does not keep key order, so bodies are compared in this form. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
