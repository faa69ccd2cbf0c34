import type { CompiledTrigger, CompiledWorkflow, EndCondition } from "./compiled-trigger.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A compiled workflow as plain JSON (expression ASTs included), stored beside the definition at publish time so a
 * replica builds its index at start without parsing any expression again.
 */
export interface WorkflowSnapshot {
  readonly format: 1;
  readonly workspaceId: string;
  readonly workflowId: string;
  readonly version: number;
  readonly triggers: ReadonlyArray<DistributiveOmit<CompiledTrigger, "workflow">>;
  readonly exclusions: CompiledWorkflow["exclusions"];
  readonly endConditions: ReadonlyArray<Omit<EndCondition, "eventNames"> & { eventNames?: readonly string[] }>;
}

export function toSnapshot(workflow: CompiledWorkflow): WorkflowSnapshot {
  return {
    format: 1,
    workspaceId: workflow.workspaceId,
    workflowId: workflow.workflowId,
    version: workflow.version,
    triggers: workflow.triggers.map(({ workflow: _workflow, ...trigger }) => trigger),
    exclusions: workflow.exclusions,
    endConditions: workflow.endConditions.map(({ eventNames, ...condition }) => ({
      ...condition,
      ...(eventNames ? { eventNames: [...eventNames] } : {}),
    })),
  };
}

export function hydrateWorkflow(snapshot: WorkflowSnapshot): CompiledWorkflow {
  const triggers: CompiledTrigger[] = [];
  const workflow: CompiledWorkflow = {
    workspaceId: snapshot.workspaceId,
    workflowId: snapshot.workflowId,
    version: snapshot.version,
    triggers,
    exclusions: snapshot.exclusions,
    endConditions: snapshot.endConditions.map(({ eventNames, ...condition }) => ({
      ...condition,
      ...(eventNames ? { eventNames: new Set(eventNames) } : {}),
    })),
  };
  for (const trigger of snapshot.triggers) triggers.push({ ...trigger, workflow } as CompiledTrigger);
  return workflow;
}
