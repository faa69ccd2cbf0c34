import { create, TriggerKind, TriggerSummarySchema, type TriggerSummary } from "@cascade/contracts";
import { isNodeKind, isTriggerKind, type WorkflowDefinition } from "@cascade/workflow";

const KIND_OF: Record<string, TriggerKind> = {
  time_based: TriggerKind.TIME_BASED,
  behavioral: TriggerKind.BEHAVIORAL,
  event: TriggerKind.EVENT,
  webhook: TriggerKind.WEBHOOK,
  manual: TriggerKind.MANUAL,
  predictive: TriggerKind.PREDICTIVE,
};

/**
 * One TriggerSummary per trigger node of a valid definition, for the triggers service's index. `event_name`
 * is the event of an event trigger, or the first event of a behavioural trigger (all of them are in
 * config_json).
 */
export function triggerSummaries(definition: WorkflowDefinition): TriggerSummary[] {
  return definition.nodes
    .filter((node) => isNodeKind(node.kind) && isTriggerKind(node.kind))
    .map((node) => {
      const config = (node.config ?? {}) as { event?: unknown; events?: unknown };
      const eventName =
        typeof config.event === "string"
          ? config.event
          : Array.isArray(config.events) && typeof config.events[0] === "string"
            ? config.events[0]
            : "";
      return create(TriggerSummarySchema, {
        nodeId: node.id,
        kind: KIND_OF[node.kind] ?? TriggerKind.UNSPECIFIED,
        eventName,
        configJson: JSON.stringify(node.config ?? {}),
      });
    });
}
