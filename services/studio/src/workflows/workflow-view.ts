import { validateDefinition, type DefinitionProblem } from "@cascade/workflow";
import type { WorkflowRecord } from "./workflows.repository.js";

/** A workflow as the API returns it: the record plus the draft's validation problems. */
export interface WorkflowView extends Omit<WorkflowRecord, "workspaceId"> {
  workspaceId: string;
  valid: boolean;
  problems: readonly DefinitionProblem[];
}

export function viewOf(record: WorkflowRecord): WorkflowView {
  const result = validateDefinition(record.draft);
  return { ...record, valid: result.ok, problems: result.problems };
}

/** Lower-case slug usable as a definition id (`[a-z0-9_-]`, at most 100 characters). */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 80);
  return slug === "" ? "workflow" : slug;
}
