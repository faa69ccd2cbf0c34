/**
 * Builders of workflow definition JSON for tests and the bench: one trigger node plus an exit node, with
 * optional settings. Not used by the service itself.
 */
export interface TestDefinitionOptions {
  settings?: Record<string, unknown>;
  nodeId?: string;
}

export function definitionJson(
  workflowId: string,
  kind: string,
  config: Record<string, unknown>,
  options: TestDefinitionOptions = {},
): string {
  const nodeId = options.nodeId ?? "trigger";
  return JSON.stringify({
    id: workflowId,
    name: `Workflow ${workflowId}`,
    settings: { reentry: { policy: "always" }, ...options.settings },
    nodes: [
      { id: nodeId, kind, config },
      { id: "done", kind: "exit", config: {} },
    ],
    edges: [{ id: `${nodeId}->done`, source: nodeId, target: "done" }],
  });
}
