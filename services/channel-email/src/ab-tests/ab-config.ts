import type { EmailRequest, JsonObject, JsonValue } from "@cascade/contracts";

/**
 * A/B settings of a send step, read from `variables.ab` of requests that carry variants:
 *   conversion_event         events.v1 track event counted as a conversion (e.g. "Order Completed")
 *   conversion_window_hours  a conversion counts for the contact's last send of the experiment within this (default 168)
 *   auto_winner_after        sends per variant after which a winner is chosen (two-proportion z-test, 95 %); absent: never
 * The experiment is the (workflow, node) of the request; requests without both run a plain weighted split.
 */
export interface AbConfig {
  workflowId: string;
  nodeId: string;
  conversionEvent: string | null;
  conversionWindowMs: number;
  autoWinnerAfter: number | null;
}

const DEFAULT_WINDOW_HOURS = 168;

const asObject = (value: JsonValue | undefined): JsonObject | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
const positive = (value: JsonValue | undefined): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;

export function abConfig(request: EmailRequest): AbConfig | undefined {
  if (request.variants.length === 0 || !request.workflowId || !request.nodeId) return undefined;
  const ab = asObject(request.variables?.["ab"]) ?? {};
  const event = ab["conversion_event"];
  const autoWinnerAfter = positive(ab["auto_winner_after"]);
  return {
    workflowId: request.workflowId,
    nodeId: request.nodeId,
    conversionEvent: typeof event === "string" && event !== "" ? event : null,
    conversionWindowMs: (positive(ab["conversion_window_hours"]) ?? DEFAULT_WINDOW_HOURS) * 3_600_000,
    autoWinnerAfter: autoWinnerAfter === undefined ? null : Math.ceil(autoWinnerAfter),
  };
}
