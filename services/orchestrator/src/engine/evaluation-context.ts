import type { EngineEnvironment } from "./engine-types.js";
import type { ContactView } from "./run-state.js";

/**
 * The data expressions and templates read: `contact` (projection + the run's own updates), `event` (the
 * trigger event, or the event that last resumed the run), `run` (`id`, `workflow_id`, `started_at`, `vars`),
 * `trigger` (the raw trigger payload) and `prediction` (from the payload, for predictive triggers).
 */
export function evaluationContext(
  env: EngineEnvironment,
  contact: ContactView,
  vars: Readonly<Record<string, unknown>>,
  event: Readonly<Record<string, unknown>> | null,
  triggerPayload: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const prediction = triggerPayload.prediction;
  return {
    contact: { ...contact, traits: { ...contact.traits } },
    event: event ?? {},
    run: { id: env.run.runId, workflow_id: env.run.workflowId, started_at: env.run.startedAt, vars: { ...vars } },
    trigger: triggerPayload,
    prediction: prediction !== null && typeof prediction === "object" ? prediction : {},
  };
}

/**
 * The event a trigger payload describes, as the `event` root: `{ id, name, timestamp, properties, context }`.
 * Triggers put the event under `event`; a bare `{ name | event, properties }` payload is read too.
 */
export function triggerEventOf(payload: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  const nested = payload.event;
  if (nested !== null && typeof nested === "object" && !Array.isArray(nested))
    return { ...(nested as Record<string, unknown>) };
  const name =
    typeof payload.name === "string" ? payload.name : typeof payload.event === "string" ? payload.event : undefined;
  if (name === undefined) return null;
  return {
    name,
    properties: payload.properties ?? {},
    context: payload.context ?? {},
    timestamp: payload.timestamp ?? null,
  };
}
