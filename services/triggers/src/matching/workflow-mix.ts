import type { JsonObject } from "@cascade/contracts";
import type { WorkflowNode } from "@cascade/workflow";
import { compileTrustedNodes } from "./compile-workflow.js";
import type { CompiledWorkflow } from "./compiled-trigger.js";
import { definitionJson } from "./test-definitions.js";

/**
 * A realistic mix of active workflows and of the events they see, for the scale test and the matching bench
 * (not used by the service itself). Workflow i gets one trigger of a kind chosen by i % 20:
 *   0-7   event (one of EVENT_NAMES names; half with a property filter, some reading the contact)
 *   8-10  behavioural on page views with a URL pattern (`*\/p/<n>/*`), some with a count window
 *   11-13 behavioural on a set of two event names with a filter
 *   14-15 webhook, 16-17 predictive, 18 cron, 19 manual
 */
export const EVENT_NAMES = 500;
export const PRODUCT_PAGES = 2000;
export const HOOKS = 300;

export interface MixedWorkflow {
  workflowId: string;
  definitionJson: string;
}

/** The trigger node kind and config of mix workflow i. */
export function mixedTrigger(i: number): { kind: string; config: Record<string, unknown> } {
  const slot = i % 20;
  let kind: string;
  let config: Record<string, unknown>;
  if (slot <= 7) {
    kind = "event";
    const filter =
      slot % 2 === 0 ? undefined : slot === 7 ? "contact.lead_score >= 10" : `event.properties.total >= ${i % 200}`;
    config = { event: `evt_${i % EVENT_NAMES}`, ...(filter ? { filter } : {}) };
  } else if (slot <= 10) {
    kind = "behavioral";
    config = {
      events: ["page_view"],
      urlPatterns: [`*/p/${i % PRODUCT_PAGES}/*`],
      ...(slot === 10 ? { count: { min: 3, within: "7d" } } : {}),
    };
  } else if (slot <= 13) {
    kind = "behavioral";
    config = {
      events: [`evt_${i % EVENT_NAMES}`, `evt_${(i + 7) % EVENT_NAMES}`],
      filter: "event.properties.total < 100",
    };
  } else if (slot <= 15) {
    kind = "webhook";
    config = { hookId: `hook_${i % HOOKS}` };
  } else if (slot <= 17) {
    kind = "predictive";
    config = { model: "churn", threshold: 0.5 + (i % 40) / 100, direction: "above" };
  } else if (slot === 18) {
    kind = "time_based";
    config = {
      mode: "cron",
      cron: `${i % 60} 9 * * 1`,
      timezone: "Europe/Paris",
      audience: "contact.traits.plan == 'pro'",
    };
  } else {
    kind = "manual";
    config = {};
  }
  return { kind, config };
}

export function workflowMix(count: number, prefix = "wf"): MixedWorkflow[] {
  return Array.from({ length: count }, (_, i) => {
    const workflowId = `${prefix}-${i}`;
    const { kind, config } = mixedTrigger(i);
    return { workflowId, definitionJson: definitionJson(workflowId, kind, config) };
  });
}

/**
 * The same mix compiled without the definition validator (its configs are valid by construction), for building
 * 10,000–100,000 workflows quickly in the scale test and the bench.
 */
export function compiledWorkflowMix(workspaceId: string, count: number, prefix = "wf"): CompiledWorkflow[] {
  return Array.from({ length: count }, (_, i) => {
    const { kind, config } = mixedTrigger(i);
    const result = compileTrustedNodes({ workspaceId, workflowId: `${prefix}-${i}`, version: 1 }, [
      { id: "trigger", kind, config } as unknown as WorkflowNode,
    ]);
    if (!result.ok) throw new Error(`mix workflow ${i}: ${result.problems.join("; ")}`);
    return result.workflow;
  });
}

export interface MixedEvent {
  name: string;
  properties: JsonObject;
}

/** Event i of a realistic stream: 50% product page views, 30% named events, 10% webhooks, 10% events nobody listens to. */
export function mixedEvent(i: number): MixedEvent {
  const slot = i % 10;
  if (slot < 5)
    return {
      name: "page_view",
      properties: { url: `https://shop.example.com/p/${(i * 7919) % (PRODUCT_PAGES * 2)}/details`, title: "Product" },
    };
  if (slot < 8)
    return { name: `evt_${(i * 31) % EVENT_NAMES}`, properties: { total: (i * 13) % 250, currency: "EUR" } };
  if (slot < 9) return { name: "webhook_received", properties: { hook_id: `hook_${(i * 17) % (HOOKS * 2)}` } };
  return { name: `noise_${i % 50}`, properties: { x: i } };
}
